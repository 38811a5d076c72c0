/**
 * Group commit of registrar output: binding upserts/removals and registration events.
 *
 * Why: bench-facts.md measured PostgreSQL at ~370 µs per single-row write-through registration
 * (saturating at ~2,700/s) but ~28,000 rows/s at 500 rows per statement. So every `persist()` call
 * joins the batch being assembled; one transaction writes the whole batch; every caller in it is
 * answered when it commits. While a batch is in flight the next one fills up, so batches grow with
 * load and latency stays at about one commit.
 *
 * Outage behaviour (README "Guarantees"): when a flush fails the writer turns `degraded`, keeps the
 * batch, retries with exponential backoff, and answers `persist()` at once so the registrar keeps
 * serving phones from memory. Bindings are coalesced per (unique, contact), so the queue grows only
 * with events; every event carries a key unique per process run, so a retry after an ambiguous
 * commit failure never stores it twice.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Binding, RegistrationEvent, StoredRegistrationEvent } from '../domain/index.js';
import type { Db } from './db.js';
import { toEventRow } from './repos/event-repo.js';

export interface RegistrationCommit {
  readonly upserts: readonly Binding[];
  readonly removals: readonly { unique: string; contact: string }[];
  readonly events: readonly RegistrationEvent[];
}

export type StoredEventsListener = (events: readonly StoredRegistrationEvent[]) => void;

export interface WriterLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface WriterMetrics {
  batch(rows: number, seconds: number): void;
  failure(): void;
}

export interface RegistrationWriterOptions {
  readonly db: Db;
  /** Upper bound of binding rows + events per transaction. */
  readonly maxBatchRows?: number;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly logger?: WriterLogger;
  readonly metrics?: WriterMetrics;
}

interface Waiter {
  resolve(): void;
}

type BindingOp = { readonly kind: 'upsert'; readonly binding: Binding } | { readonly kind: 'remove'; readonly unique: string; readonly contact: string };

const bindingKey = (unique: string, contact: string) => `${unique}\u0000${contact}`;

export class RegistrationWriter {
  private readonly maxBatchRows: number;
  private readonly bootId = randomUUID().slice(0, 8);
  private seq = 0;
  /** Coalesced binding changes not yet written, in first-touched order. */
  private pendingBindings = new Map<string, BindingOp>();
  private pendingEvents: ReturnType<typeof toEventRow>[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs: number;
  private readonly listeners = new Set<StoredEventsListener>();
  private degradedSince: Date | null = null;
  private stopped = false;

  constructor(private readonly options: RegistrationWriterOptions) {
    this.maxBatchRows = options.maxBatchRows ?? 2000;
    this.retryDelayMs = options.retryInitialMs ?? 200;
  }

  /** Queues a commit; resolves when it is durable, or at once while the database is unreachable. */
  persist(commit: RegistrationCommit): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('registration writer is stopped'));
    for (const b of commit.upserts) this.pendingBindings.set(bindingKey(b.unique, b.contact), { kind: 'upsert', binding: b });
    for (const r of commit.removals) this.pendingBindings.set(bindingKey(r.unique, r.contact), { kind: 'remove', ...r });
    for (const e of commit.events) this.pendingEvents.push(toEventRow(e, `${this.bootId}:${++this.seq}`));
    if (this.degradedSince) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ resolve }));
    this.schedule();
    return done;
  }

  /** Listeners receive stored events (with ids) after each commit, in id order. */
  onStored(listener: StoredEventsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get degraded(): boolean {
    return this.degradedSince !== null;
  }

  get queuedRows(): number {
    return this.pendingBindings.size + this.pendingEvents.length;
  }

  /** Writes everything queued; resolves when the queue is empty or the database refuses. */
  async flush(): Promise<void> {
    for (let attempts = 0; attempts < 1000 && (this.queuedRows > 0 || this.flushing); attempts++) {
      if (this.flushing) await this.flushing;
      else if (!(await this.runFlush())) return;
    }
  }

  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.retryTimer) return;
    this.scheduled = true;
    // setImmediate lets every datagram already in the socket buffer join this batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.runFlush();
    });
  }

  /** One transaction; returns false when the database refused it. */
  private runFlush(): Promise<boolean> {
    if (this.flushing) return this.flushing.then(() => true);
    if (this.queuedRows === 0) return Promise.resolve(true);
    const ops: BindingOp[] = [];
    const takenKeys: string[] = [];
    for (const [key, op] of this.pendingBindings) {
      if (ops.length >= this.maxBatchRows) break;
      ops.push(op);
      takenKeys.push(key);
    }
    for (const key of takenKeys) this.pendingBindings.delete(key);
    const events = this.pendingEvents.splice(0, Math.max(0, this.maxBatchRows - ops.length));
    const waiters = this.waiters;
    this.waiters = [];
    const started = performance.now();
    const attempt = this.write(ops, events).then(
      (stored) => {
        this.options.metrics?.batch(ops.length + events.length, (performance.now() - started) / 1000);
        if (this.degradedSince) {
          this.options.logger?.info({ since: this.degradedSince }, 'database writes recovered');
          this.degradedSince = null;
        }
        this.retryDelayMs = this.options.retryInitialMs ?? 200;
        for (const w of waiters) w.resolve();
        if (stored.length) for (const l of this.listeners) l(stored);
        return true;
      },
      async (failure: unknown) => {
        let err = failure;
        this.options.metrics?.failure();
        // Data the database refuses for good (a NUL byte from the network, an out-of-range number)
        // would fail this batch on every retry and stop all event storage: write the rows one by
        // one instead, sanitized, and drop only those still refused.
        if (isPermanentDataError(err)) {
          try {
            await this.writeIsolated(ops, events);
            for (const w of waiters) w.resolve();
            return true;
          } catch (isolatedFailure) {
            // The database went away meanwhile: requeue everything (stored events are keyed, so
            // rows already written are not stored twice).
            err = isolatedFailure;
          }
        }
        // Put the batch back in front; newer changes to the same binding win over the failed ones.
        const requeued = new Map<string, BindingOp>();
        for (const op of ops) {
          const key = op.kind === 'upsert' ? bindingKey(op.binding.unique, op.binding.contact) : bindingKey(op.unique, op.contact);
          requeued.set(key, op);
        }
        for (const [key, op] of this.pendingBindings) requeued.set(key, op);
        this.pendingBindings = requeued;
        this.pendingEvents = events.concat(this.pendingEvents);
        if (!this.degradedSince) {
          this.degradedSince = new Date();
          this.options.logger?.error({ err: describe(err), queued: this.queuedRows }, 'database write failed; serving from memory and retrying');
        }
        for (const w of waiters) w.resolve();
        for (const w of this.waiters) w.resolve();
        this.waiters = [];
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          void this.runFlush();
        }, this.retryDelayMs);
        this.retryTimer.unref();
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.retryMaxMs ?? 5000);
        return false;
      },
    );
    this.flushing = attempt.then(() => {
      this.flushing = null;
      if (this.queuedRows > 0 && !this.retryTimer) this.schedule();
    });
    return attempt;
  }

  /** Cold path after a data error: each row alone, sanitized; rows still refused are logged and dropped. */
  private async writeIsolated(ops: BindingOp[], events: ReturnType<typeof toEventRow>[]): Promise<void> {
    const stored: StoredRegistrationEvent[] = [];
    let dropped = 0;
    for (const op of ops) {
      try {
        await this.write([storable(op)], []);
      } catch (err) {
        if (!isPermanentDataError(err)) throw err;
        dropped++;
        this.options.logger?.error({ err: describe(err), kind: op.kind }, 'binding row refused by the database; dropped');
      }
    }
    for (const event of events) {
      try {
        stored.push(...(await this.write([], [storable(event)])));
      } catch (err) {
        if (!isPermanentDataError(err)) throw err;
        dropped++;
        this.options.logger?.error({ err: describe(err), type: event.type, unique: event.unique }, 'event refused by the database; dropped');
      }
    }
    if (dropped > 0) this.options.metrics?.failure();
    if (stored.length) for (const l of this.listeners) l(stored.sort((a, b) => a.id - b.id));
  }

  private async write(ops: BindingOp[], events: ReturnType<typeof toEventRow>[]): Promise<StoredRegistrationEvent[]> {
    const upserts: Binding[] = [];
    const removals: { unique: string; contact: string }[] = [];
    for (const op of ops) {
      if (op.kind === 'upsert') upserts.push(op.binding);
      else removals.push(op);
    }
    // One statement per kind with the whole batch as ONE jsonb parameter (jsonb_to_recordset): the
    // SQL text never changes, so the driver prepares it once, and building it costs one
    // JSON.stringify instead of drizzle's per-row, per-column query building, which took ~20 % of
    // linewatch's CPU at 3,000 registrations/s (bench/PERF-NOTES.md, writer).
    return this.options.db.transaction(async (tx) => {
      if (removals.length) {
        await tx.execute(sql`DELETE FROM bindings WHERE (unique_number, contact) IN (SELECT r.u, r.c FROM jsonb_to_recordset(${JSON.stringify(removals.map((r) => ({ u: r.unique, c: r.contact })))}::jsonb) AS r(u text, c text))`);
      }
      if (upserts.length) await tx.execute(sql`${UPSERT_BINDINGS_HEAD}${JSON.stringify(upserts.map(bindingJson))}${UPSERT_BINDINGS_TAIL}`);
      if (events.length === 0) return [];
      const result = await tx.execute(sql`${INSERT_EVENTS_HEAD}${JSON.stringify(events.map(eventJson))}${INSERT_EVENTS_TAIL}`);
      // postgres.js returns the rows as an array, PGlite as `{ rows }`.
      const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { id: unknown; event_key: string }[];
      const byKey = new Map(events.map((e) => [e.eventKey, e]));
      const stored: StoredRegistrationEvent[] = [];
      for (const row of rows) {
        const e = byKey.get(row.event_key);
        if (e === undefined) continue;
        stored.push({
          id: Number(row.id), type: e.type, unique: e.unique, at: e.at, method: e.method, source: e.source,
          transport: e.transport === 'tcp' ? 'tcp' : 'udp', userAgent: e.userAgent, contact: e.contact, callId: e.callId,
          requestedExpires: e.requestedExpires, grantedExpires: e.grantedExpires, responseCode: e.responseCode, detail: e.detail ?? {},
        });
      }
      return stored.sort((a, b) => a.id - b.id);
    });
  }
}

/** Column lists of the batch statements (schema/bindings.ts, schema/registration-events.ts). */
const BINDING_COLUMNS =
  'unique_number, contact, source, transport, user_agent, call_id, cseq, path, instance_id, reg_id, q, requested_expires, granted_expires, registered_at, refreshed_at, expires_at';
const BINDING_RECORD =
  'unique_number text, contact text, source text, transport text, user_agent text, call_id text, cseq integer, path jsonb, instance_id text, reg_id integer, q real, requested_expires integer, granted_expires integer, registered_at timestamptz, refreshed_at timestamptz, expires_at timestamptz';
const UPSERT_BINDINGS_HEAD = sql.raw(`INSERT INTO bindings (${BINDING_COLUMNS}) SELECT ${BINDING_COLUMNS} FROM jsonb_to_recordset(`);
const UPSERT_BINDINGS_TAIL = sql.raw(
  `::jsonb) AS r(${BINDING_RECORD}) ON CONFLICT (unique_number, contact) DO UPDATE SET ` +
    BINDING_COLUMNS.split(', ').filter((c) => c !== 'unique_number' && c !== 'contact').map((c) => `${c} = excluded.${c}`).join(', '),
);
const EVENT_COLUMNS = 'event_key, type, unique_number, at, method, source, transport, user_agent, contact, call_id, requested_expires, granted_expires, response_code, detail';
const EVENT_RECORD =
  'event_key text, type text, unique_number text, at timestamptz, method text, source text, transport text, user_agent text, contact text, call_id text, requested_expires integer, granted_expires integer, response_code integer, detail jsonb';
const INSERT_EVENTS_HEAD = sql.raw(`INSERT INTO registration_events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM jsonb_to_recordset(`);
const INSERT_EVENTS_TAIL = sql.raw(`::jsonb) AS r(${EVENT_RECORD}) ON CONFLICT (event_key) DO NOTHING RETURNING id, event_key`);

const bindingJson = (b: Binding) => ({
  unique_number: b.unique, contact: b.contact, source: b.source, transport: b.transport, user_agent: b.userAgent, call_id: b.callId,
  cseq: b.cseq, path: b.path, instance_id: b.instanceId, reg_id: b.regId, q: b.q, requested_expires: b.requestedExpires,
  granted_expires: b.grantedExpires, registered_at: b.registeredAt, refreshed_at: b.refreshedAt, expires_at: b.expiresAt,
});

const eventJson = (e: ReturnType<typeof toEventRow>) => ({
  event_key: e.eventKey, type: e.type, unique_number: e.unique, at: e.at, method: e.method, source: e.source, transport: e.transport,
  user_agent: e.userAgent, contact: e.contact, call_id: e.callId, requested_expires: e.requestedExpires, granted_expires: e.grantedExpires,
  response_code: e.responseCode, detail: e.detail,
});

/**
 * SQLSTATE classes 22 (data exception, e.g. 22021 "invalid byte sequence": PostgreSQL text cannot
 * hold U+0000) and 23 (integrity constraint violation): retrying the same rows cannot succeed.
 */
function isPermanentDataError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Replaces U+0000, which PostgreSQL text cannot store, in every string of a row (cold path only). */
function storable<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replace(/\u0000/g, '\ufffd') : value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storable(v)])) as T;
  }
  return value;
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
