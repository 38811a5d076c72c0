/**
 * The group commit's one statement and the encoding of its rows: binding upserts and removals and
 * registration events of a batch, written atomically in one round trip. `RegistrationWriter`
 * decides what goes into a batch and when; this module only writes one.
 */
import type { Binding, StoredRegistrationEvent } from '../domain/index.js';
import type { SqlQuery } from './db.js';
import type { toEventRow } from './repos/event-repo.js';

/** A binding to store; times as Dates (the domain's) or epoch milliseconds (the registrar's records). */
export type BindingUpsert = Omit<Binding, 'registeredAt' | 'refreshedAt' | 'expiresAt'> & {
  readonly registeredAt: Date | number;
  readonly refreshedAt: Date | number;
  readonly expiresAt: Date | number;
};

/** A coalesced change of one binding. */
export type BindingOp = { readonly kind: 'upsert'; readonly binding: BindingUpsert } | { readonly kind: 'remove'; readonly unique: string; readonly contact: string };

/** A registration event as the batch stores it (with its `event_key`). */
export type EventRow = ReturnType<typeof toEventRow>;

/** Writes one batch; returns the events it stored, in id order (an event already stored under its key is skipped). */
export async function writeBatch(query: SqlQuery, ops: readonly BindingOp[], events: readonly EventRow[]): Promise<StoredRegistrationEvent[]> {
  const upserts: ReturnType<typeof bindingJson>[] = [];
  const removals: { u: string; c: string }[] = [];
  for (const op of ops) {
    if (op.kind === 'upsert') upserts.push(bindingJson(op.binding));
    else removals.push({ u: op.unique, c: op.contact });
  }
  // The whole batch is ONE statement (data-modifying CTEs, PostgreSQL docs §7.8.4: "executed
  // exactly once, and always to completion"), so it commits atomically without BEGIN/COMMIT:
  // one round trip instead of five, and a fixed statement text the driver prepares once.
  // Each kind travels as one jsonb parameter (jsonb_to_recordset) with short keys, times as
  // epoch milliseconds: one JSON.stringify per batch instead of drizzle's per-row, per-column
  // query building (bench/PERF-NOTES.md, writer).
  const rows = (await query(BATCH_STATEMENT, [JSON.stringify(removals), JSON.stringify(upserts), JSON.stringify(events.map(eventJson))])) as {
    id: unknown;
    event_key: string;
  }[];
  if (rows.length === 0) return [];
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
}

/**
 * The batch statement's columns: [column, JSON key, record type, select expression]. Keys are short
 * because every byte is copied through the loopback socket and parsed by PostgreSQL; times travel
 * as epoch milliseconds (no Date.toISOString per value). Columns: schema/bindings.ts and
 * schema/registration-events.ts.
 */
const epoch = (key: string) => `to_timestamp(r.${key} / 1000.0)`;
const BINDING_FIELDS: readonly (readonly [column: string, key: string, type: string, select?: string])[] = [
  ['unique_number', 'u', 'text'], ['contact', 'c', 'text'], ['source', 's', 'text'], ['transport', 't', 'text'],
  ['user_agent', 'a', 'text'], ['call_id', 'i', 'text'], ['cseq', 'n', 'integer'], ['path', 'p', 'jsonb'],
  ['instance_id', 'o', 'text'], ['reg_id', 'g', 'integer'], ['q', 'q', 'real'], ['requested_expires', 'x', 'integer'],
  ['granted_expires', 'y', 'integer'], ['registered_at', 'ra', 'float8', epoch('ra')], ['refreshed_at', 'fa', 'float8', epoch('fa')],
  ['expires_at', 'ea', 'float8', epoch('ea')],
];
const EVENT_FIELDS: readonly (readonly [column: string, key: string, type: string, select?: string])[] = [
  ['event_key', 'k', 'text'], ['type', 'y', 'text'], ['unique_number', 'u', 'text'], ['at', 'at', 'float8', epoch('at')],
  ['method', 'm', 'text'], ['source', 's', 'text'], ['transport', 't', 'text'], ['user_agent', 'a', 'text'],
  ['contact', 'c', 'text'], ['call_id', 'i', 'text'], ['requested_expires', 'x', 'integer'], ['granted_expires', 'g', 'integer'],
  ['response_code', 'r', 'integer'], ['detail', 'd', 'jsonb'],
];
const columns = (fields: typeof BINDING_FIELDS) => fields.map(([c]) => c).join(', ');
const selects = (fields: typeof BINDING_FIELDS) => fields.map(([, k, , select]) => select ?? `r.${k}`).join(', ');
const record = (fields: typeof BINDING_FIELDS) => fields.map(([, k, t]) => `${k} ${t}`).join(', ');

/**
 * Parameters are typed text and cast, so both drivers send the JSON as it is (no re-encoding).
 *
 * Removals find their rows by one primary-key probe each (a LATERAL subquery kept apart by
 * `OFFSET 0`) and delete them by row address (a TID scan): PostgreSQL estimates 100 rows for any
 * `jsonb_to_recordset`, and with that estimate it joined `DELETE … USING` by hashing the list and
 * scanning every binding whenever that looked cheaper than 100 probes (analyzed tables of up to
 * ~15,000 bindings): 4 ms with 10,000 bindings for a batch removing one contact (an un-REGISTER,
 * an expiry), 0.12 ms now. Safe because this statement is the only writer of `bindings` and a
 * batch holds at most one change per binding. PERF-NOTES.md #34.
 */
export const BATCH_STATEMENT =
  'WITH removed AS (DELETE FROM bindings WHERE ctid = ANY (ARRAY(SELECT k.ctid FROM jsonb_to_recordset($1::text::jsonb) AS r(u text, c text) ' +
  'CROSS JOIN LATERAL (SELECT ctid FROM bindings b WHERE b.unique_number = r.u AND b.contact = r.c OFFSET 0) k))), ' +
  `upserted AS (INSERT INTO bindings (${columns(BINDING_FIELDS)}) SELECT ${selects(BINDING_FIELDS)} ` +
  `FROM jsonb_to_recordset($2::text::jsonb) AS r(${record(BINDING_FIELDS)}) ON CONFLICT (unique_number, contact) DO UPDATE SET ` +
  BINDING_FIELDS.filter(([c]) => c !== 'unique_number' && c !== 'contact').map(([c]) => `${c} = excluded.${c}`).join(', ') +
  `) INSERT INTO registration_events (${columns(EVENT_FIELDS)}) SELECT ${selects(EVENT_FIELDS)} ` +
  `FROM jsonb_to_recordset($3::text::jsonb) AS r(${record(EVENT_FIELDS)}) ON CONFLICT (event_key) DO NOTHING RETURNING id, event_key`;

const epochMs = (t: Date | number) => (typeof t === 'number' ? t : t.getTime());

const bindingJson = (b: BindingUpsert) => ({
  u: b.unique, c: b.contact, s: b.source, t: b.transport, a: b.userAgent, i: b.callId, n: b.cseq, p: b.path, o: b.instanceId,
  g: b.regId, q: b.q, x: b.requestedExpires, y: b.grantedExpires, ra: epochMs(b.registeredAt), fa: epochMs(b.refreshedAt),
  ea: epochMs(b.expiresAt),
});

const eventJson = (e: EventRow) => ({
  k: e.eventKey, y: e.type, u: e.unique, at: e.at.getTime(), m: e.method, s: e.source, t: e.transport, a: e.userAgent,
  c: e.contact, i: e.callId, x: e.requestedExpires, g: e.grantedExpires, r: e.responseCode, d: e.detail,
});

/** Replaces U+0000, which PostgreSQL text cannot store, in every string of a row (cold path only). */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replace(/\u0000/g, '\ufffd') : value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storable(v)])) as T;
  }
  return value;
}
