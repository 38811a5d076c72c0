import { and, asc, desc, eq, gt, inArray, lt } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type {
  EventMark,
  EventQuery,
  EventRepo,
  RegistrationEvent,
  RegistrationEventType,
  StoredRegistrationEvent,
  UniqueType,
} from '../../domain/index.js';
import { isRegistrationEventType } from '../../domain/index.js';
import type { Db, DbTx, SqlQuery, StoreAccess } from '../db.js';
import { eventTypeIn, registrationEvents, type RegistrationEventRow } from '../schema/index.js';
import { asDate, asNumberOrNull } from './raw-row.js';
import { UNIQUES_IN_LIST, UNIQUES_OF_CIRCLE } from './wanted-uniques.js';

export const toStoredEvent = (row: RegistrationEventRow): StoredRegistrationEvent => ({
  id: row.id,
  type: row.type,
  unique: row.unique,
  at: row.at,
  method: row.method,
  source: row.source,
  transport: row.transport === 'tcp' ? 'tcp' : 'udp',
  userAgent: row.userAgent,
  contact: row.contact,
  callId: row.callId,
  requestedExpires: row.requestedExpires,
  grantedExpires: row.grantedExpires,
  responseCode: row.responseCode,
  detail: row.detail ?? {},
});

export const toEventRow = (event: RegistrationEvent, eventKey: string) => ({
  eventKey,
  type: event.type,
  unique: event.unique,
  at: event.at,
  method: event.method,
  source: event.source,
  transport: event.transport,
  userAgent: event.userAgent,
  contact: event.contact,
  callId: event.callId,
  requestedExpires: event.requestedExpires,
  grantedExpires: event.grantedExpires,
  responseCode: event.responseCode,
  detail: event.detail,
});

/** Inserts events keyed for idempotency; a key already stored is skipped, not duplicated. */
export async function insertEvents(
  db: Db | DbTx,
  rows: ReturnType<typeof toEventRow>[],
): Promise<StoredRegistrationEvent[]> {
  if (rows.length === 0) return [];
  const stored = await db.insert(registrationEvents).values(rows).onConflictDoNothing({ target: registrationEvents.eventKey }).returning();
  return stored.map(toStoredEvent).sort((a, b) => a.id - b.id);
}

/**
 * The newest event of the given types, per unique: newest first over (unique_number, id) until a
 * type matches, which for accepted REGISTERs is the line's latest event or close to it. The types
 * are written into the text (each checked against the domain's list), so a list of error types
 * lets PostgreSQL prove the predicate of `registration_events_error_idx` and probe that partial
 * index instead (migration 0004): a line with no error no longer costs its whole history. One text
 * per type list, projection and scope (wanted-uniques.ts): the driver prepares each once.
 */
const latestStatements = new Map<string, string>();
/** `list-up-to`: a list ($1) and the highest id an answer may have ($2). */
type LatestScope = 'list' | 'list-up-to' | 'circle';

function latestStatement(types: readonly RegistrationEventType[], projection: 'event' | 'mark', scope: LatestScope): string {
  const wanted = [...new Set(types)].sort();
  const key = `${projection}:${scope}:${wanted.join(',')}`;
  let text = latestStatements.get(key);
  if (text === undefined) {
    for (const type of wanted) if (!isRegistrationEventType(type)) throw new Error(`unknown event type ${JSON.stringify(type)}`);
    const columns = projection === 'event' ? '*' : 'r.unique_number, r.id, r.at';
    text = `
      select e.* from ${scope === 'circle' ? UNIQUES_OF_CIRCLE : UNIQUES_IN_LIST}
      cross join lateral (
        select ${columns} from registration_events r
        where r.unique_number = wanted.n and ${eventTypeIn('r.type', wanted)}${scope === 'list-up-to' ? ' and r.id <= $2::text::bigint' : ''}
        order by r.id desc limit 1
      ) e`;
    latestStatements.set(key, text);
  }
  return text;
}

/** Rows of a latest-event statement (one per unique) as events by unique. */
function byUnique(rows: readonly Record<string, unknown>[]): Map<string, StoredRegistrationEvent> {
  const result = new Map<string, StoredRegistrationEvent>();
  for (const row of rows) {
    const event = fromRawRow(row);
    result.set(event.unique, event);
  }
  return result;
}

/** A raw `registration_events` row (snake_case, int8 possibly as text) as a stored event. */
function fromRawRow(r: Record<string, unknown>): StoredRegistrationEvent {
  return toStoredEvent({
    id: Number(r.id),
    eventKey: String(r.event_key),
    type: r.type as RegistrationEventRow['type'],
    unique: String(r.unique_number),
    at: asDate(r.at),
    method: String(r.method),
    source: String(r.source),
    transport: String(r.transport),
    userAgent: (r.user_agent as string | null) ?? null,
    contact: (r.contact as string | null) ?? null,
    callId: (r.call_id as string | null) ?? null,
    requestedExpires: asNumberOrNull(r.requested_expires),
    grantedExpires: asNumberOrNull(r.granted_expires),
    responseCode: asNumberOrNull(r.response_code),
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as RegistrationEventRow['detail'],
  });
}

export class DrizzleEventRepo implements EventRepo {
  private readonly db: Db;
  private readonly query: SqlQuery;

  constructor(store: StoreAccess) {
    this.db = store.db;
    this.query = store.query;
  }

  async listForUnique(unique: string, query: EventQuery): Promise<StoredRegistrationEvent[]> {
    const conditions = [eq(registrationEvents.unique, unique)];
    if (query.beforeId !== undefined) conditions.push(lt(registrationEvents.id, query.beforeId));
    if (query.types?.length) conditions.push(inArray(registrationEvents.type, query.types as RegistrationEventType[]));
    const rows = await this.db
      .select()
      .from(registrationEvents)
      .where(and(...conditions))
      .orderBy(desc(registrationEvents.id))
      .limit(query.limit);
    return rows.map(toStoredEvent);
  }

  async latestForUniques(
    list: readonly string[],
    types: readonly RegistrationEventType[],
    upToId?: number,
  ): Promise<Map<string, StoredRegistrationEvent>> {
    if (list.length === 0 || types.length === 0) return new Map();
    // One index probe per unique (LATERAL … ORDER BY id DESC LIMIT 1) instead of DISTINCT ON, which
    // sorts every matching event of every unique (the circle view of bench/run.ts, queries step).
    if (upToId === undefined) return byUnique(await this.query(latestStatement(types, 'event', 'list'), [JSON.stringify(list)]));
    return byUnique(await this.query(latestStatement(types, 'event', 'list-up-to'), [JSON.stringify(list), String(upToId)]));
  }

  async latestForCircle(circle: string, types: readonly RegistrationEventType[], type?: UniqueType): Promise<Map<string, StoredRegistrationEvent>> {
    if (types.length === 0) return new Map();
    return byUnique(await this.query(latestStatement(types, 'event', 'circle'), [circle, type ?? null]));
  }

  async latestMarksForCircle(circle: string, types: readonly RegistrationEventType[], type?: UniqueType): Promise<Map<string, EventMark>> {
    const result = new Map<string, EventMark>();
    if (types.length === 0) return result;
    // The circle overview needs when, not what: 3 columns instead of 15 (764 → 177 KB allocated
    // per 500-line read, bench/perf/circle-driver.ts, PERF-NOTES.md #26).
    const raw = await this.query(latestStatement(types, 'mark', 'circle'), [circle, type ?? null]);
    for (const row of raw) result.set(String(row.unique_number), { id: Number(row.id), at: asDate(row.at) });
    return result;
  }

  async listAfter(afterId: number, limit: number): Promise<StoredRegistrationEvent[]> {
    const rows = await this.db
      .select()
      .from(registrationEvents)
      .where(gt(registrationEvents.id, afterId))
      .orderBy(asc(registrationEvents.id))
      .limit(limit);
    return rows.map(toStoredEvent);
  }

  async append(events: readonly RegistrationEvent[]): Promise<StoredRegistrationEvent[]> {
    return insertEvents(this.db, events.map((e) => toEventRow(e, randomUUID())));
  }
}
