/**
 * Group commit of registrar output: binding upserts/removals and registration events.
 *
 * Why: bench-facts.md measured PostgreSQL at ~370 µs per single-row write-through registration
 * (saturating at ~2,700/s) but ~28,000 rows/s at 500 rows per statement. So every `persist()` call
 * joins the batch being assembled; one statement (its own transaction) writes the whole batch; every caller in it is
 * answered when it commits. While a batch is in flight the next one fills up, so batches grow with
 * load and latency stays at about one commit.
 *
 * Outage behaviour (README "Guarantees"): when a flush fails the writer turns `degraded`, keeps the
 * batch, retries with exponential backoff, and answers `persist()` at once so the registrar keeps
 * serving phones from memory. A flush that neither commits nor fails within `stallAfterMs` turns it
 * `degraded` as well (a blackholed network keeps TCP retrying for minutes; postgres.js reconnects
 * without end to a server that accepts and closes): the batch stays in flight, so nothing is
 * written twice or out of order, and the writer recovers when it settles. One still unsettled after
 * `abandonAfterMs` may never settle (seen after a hang: the driver kept the statement and never
 * answered): the writer abandons it, has `reconnect` replace the commit connection (whose first
 * statement ends the old session, so the abandoned statement cannot commit after a newer one) and
 * retries the batch as after a failure. Bindings are coalesced per (unique, contact), so the queue
 * grows only with events; every event carries a key unique per process run, so a retry after an
 * ambiguous commit failure never stores it twice.
 */
import { randomUUID } from 'node:crypto';
import { settleWithin } from '../async/index.js';
import type { RegistrationEvent, StoredRegistrationEvent } from '../domain/index.js';
import type { SqlQuery } from './db.js';
import { isPermanentDataError } from './pg-errors.js';
import { storable, writeBatch, type BindingOp, type BindingUpsert, type EventRow } from './registration-batch.js';
import { toEventRow } from './repos/event-repo.js';

export interface RegistrationCommit {
  readonly upserts: readonly BindingUpsert[];
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
  /** `DbHandle.query`: the batch statement is prepared once per connection. */
  readonly query: SqlQuery;
  /** Upper bound of binding rows + events per transaction. */
  readonly maxBatchRows?: number;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** A flush still unsettled after this long turns the writer `degraded` (default 3,000 ms). */
  readonly stallAfterMs?: number;
  /**
   * A flush still unsettled after this long is abandoned and retried after `reconnect` (default
   * 10,000 ms: a batch commits in milliseconds, so this is a connection that will not answer).
   */
  readonly abandonAfterMs?: number;
  /**
   * `DbHandle.resetCommit`: a fresh commit connection whose first statement fences the old one.
   * Without it an abandoned flush is retried on the same connection.
   */
  readonly reconnect?: () => Promise<void>;
  readonly logger?: WriterLogger;
  readonly metrics?: WriterMetrics;
}

interface Waiter {
  resolve(): void;
}

const bindingKey = (unique: string, contact: string) => `${unique}\u0000${contact}`;

export class RegistrationWriter {
  private readonly maxBatchRows: number;
  private readonly stallAfterMs: number;
  private readonly abandonAfterMs: number;
  private readonly bootId = randomUUID().slice(0, 8);
  private seq = 0;
  /** Coalesced binding changes not yet written, in first-touched order. */
  private pendingBindings = new Map<string, BindingOp>();
  private pendingEvents: EventRow[] = [];
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
    this.stallAfterMs = options.stallAfterMs ?? 3000;
    this.abandonAfterMs = options.abandonAfterMs ?? 10_000;
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
    // The attempt stays in flight (a later flush must not pass it); its outcome ends or continues the degraded state.
    const stall = setTimeout(() => this.serveFromMemory(waiters, { stalledMs: this.stallAfterMs }, 'database write stalled; serving from memory'), this.stallAfterMs);
    stall.unref();
    const attempt = this.writeOrAbandon(ops, events).finally(() => clearTimeout(stall)).then(
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
        this.serveFromMemory(waiters, { err: describe(err) }, 'database write failed; serving from memory and retrying');
        if (err instanceof AbandonedFlush) {
          this.options.logger?.error({ abandonedAfterMs: this.abandonAfterMs, queued: this.queuedRows }, 'database write abandoned; retrying on a new connection');
          if (this.options.reconnect) {
            // The retry must not start before the old connection is replaced.
            await this.options.reconnect().catch((e: unknown) => this.options.logger?.warn({ err: describe(e) }, 'commit connection reset failed'));
          }
        }
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

  /**
   * A flush failed, or neither committed nor failed in time: turn degraded (logged once per
   * outage), and answer its callers and everyone queued, so the registrar serves them from memory.
   */
  private serveFromMemory(waiters: readonly Waiter[], why: object, msg: string): void {
    if (!this.degradedSince) {
      this.degradedSince = new Date();
      this.options.logger?.error({ ...why, queued: this.queuedRows }, msg);
    }
    for (const w of waiters) w.resolve();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  /**
   * The batch statement, or an `AbandonedFlush` rejection once it has been in flight for
   * `abandonAfterMs`. The abandoned statement's own outcome is ignored: its rows are retried, and
   * its events are keyed, so one that did commit is not stored twice (the engine reads them from
   * its cursor, not from this writer's hand-over).
   */
  private writeOrAbandon(ops: BindingOp[], events: EventRow[]): Promise<StoredRegistrationEvent[]> {
    const abandon = (): never => {
      throw new AbandonedFlush();
    };
    return settleWithin(this.write(ops, events), this.abandonAfterMs, abandon, { unref: true });
  }

  /**
   * Cold path after a data error: each row alone, sanitized; rows still refused are logged and
   * dropped. A row unanswered for `abandonAfterMs` abandons the whole batch, as a batch would.
   */
  private async writeIsolated(ops: BindingOp[], events: EventRow[]): Promise<void> {
    const stored: StoredRegistrationEvent[] = [];
    let dropped = 0;
    for (const op of ops) {
      try {
        await this.writeOrAbandon([storable(op)], []);
      } catch (err) {
        if (!isPermanentDataError(err)) throw err;
        dropped++;
        this.options.logger?.error({ err: describe(err), kind: op.kind }, 'binding row refused by the database; dropped');
      }
    }
    for (const event of events) {
      try {
        stored.push(...(await this.writeOrAbandon([], [storable(event)])));
      } catch (err) {
        if (!isPermanentDataError(err)) throw err;
        dropped++;
        this.options.logger?.error({ err: describe(err), type: event.type, unique: event.unique }, 'event refused by the database; dropped');
      }
    }
    if (dropped > 0) this.options.metrics?.failure();
    if (stored.length) for (const l of this.listeners) l(stored.sort((a, b) => a.id - b.id));
  }

  private write(ops: readonly BindingOp[], events: readonly EventRow[]): Promise<StoredRegistrationEvent[]> {
    return writeBatch(this.options.query, ops, events);
  }
}

class AbandonedFlush extends Error {
  constructor() {
    super('group commit unsettled; abandoned');
    this.name = 'AbandonedFlush';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
