import { and, asc, desc, eq, gt, inArray, lt } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type {
  EventQuery,
  EventRepo,
  RegistrationEvent,
  RegistrationEventType,
  StoredRegistrationEvent,
} from '../../domain/index.js';
import type { Db, DbTx } from '../db.js';
import { registrationEvents, type RegistrationEventRow } from '../schema/index.js';

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

export class DrizzleEventRepo implements EventRepo {
  constructor(private readonly db: Db) {}

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
  ): Promise<Map<string, StoredRegistrationEvent>> {
    const result = new Map<string, StoredRegistrationEvent>();
    if (list.length === 0) return result;
    const rows = await this.db
      .selectDistinctOn([registrationEvents.unique])
      .from(registrationEvents)
      .where(and(inArray(registrationEvents.unique, list as string[]), inArray(registrationEvents.type, types as RegistrationEventType[])))
      .orderBy(registrationEvents.unique, desc(registrationEvents.id));
    for (const row of rows) result.set(row.unique, toStoredEvent(row));
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
