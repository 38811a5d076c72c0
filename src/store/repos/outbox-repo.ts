import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { AlertMessageRef, NewOutboxRow, OutboxEntry, OutboxStore } from '../../alerts/ports.js';
import type { Db } from '../db.js';
import { alertMessages, outbox, type OutboxRow } from '../schema/index.js';

const toEntry = (r: OutboxRow): OutboxEntry => ({
  id: r.id,
  incidentId: r.incidentId,
  platform: r.platform,
  destination: r.destination,
  kind: r.kind,
  payload: r.payload ?? null,
  idempotencyKey: r.idempotencyKey,
  nextAttemptAt: r.nextAttemptAt,
  state: r.state,
  attempts: r.attempts,
  lastError: r.lastError,
  createdAt: r.createdAt,
  deliveredAt: r.deliveredAt,
});

/** No earlier row of the same (incident, platform, destination) thread is still pending. */
const firstOfThread = sql`not exists (select 1 from alert_outbox p where p.incident_id = ${outbox.incidentId} and p.platform = ${outbox.platform} and p.destination = ${outbox.destination} and p.id < ${outbox.id} and p.state = 'pending')`;

/** The durable alert outbox and the platform message references of incidents. */
export class DrizzleOutboxRepo implements OutboxStore {
  constructor(private readonly db: Db) {}

  async enqueue(rows: readonly NewOutboxRow[]): Promise<number> {
    let inserted = 0;
    for (const r of rows) {
      const values = { ...r, payload: r.payload, state: 'pending' as const, attempts: 0 };
      if (r.kind === 'update') {
        // A pending update nobody claimed yet already renders the latest state: keep one, due at the earlier time.
        const out = await this.db
          .insert(outbox)
          .values(values)
          .onConflictDoUpdate({
            target: [outbox.incidentId, outbox.platform, outbox.destination],
            targetWhere: sql`${outbox.kind} = 'update' and ${outbox.state} = 'pending' and ${outbox.attempts} = 0`,
            set: { nextAttemptAt: sql`least(${outbox.nextAttemptAt}, excluded.next_attempt_at)` },
          })
          .returning({ inserted: sql<boolean>`(xmax = 0)` });
        if (out[0]?.inserted) inserted++;
      } else {
        const out = await this.db.insert(outbox).values(values).onConflictDoNothing().returning({ id: outbox.id });
        inserted += out.length;
      }
    }
    return inserted;
  }

  async claim(platform: string, now: Date, leaseUntil: Date, limit: number): Promise<OutboxEntry[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.platform, platform), eq(outbox.state, 'pending'), lte(outbox.nextAttemptAt, now), firstOfThread))
        .orderBy(asc(outbox.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const rows = await tx
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: leaseUntil })
        .where(inArray(outbox.id, due.map((d) => d.id)))
        .returning();
      return rows.map(toEntry).sort((a, b) => a.id - b.id);
    });
  }

  async stormDestinations(platform: string, now: Date, threshold: number): Promise<string[]> {
    const rows = await this.db
      .select({ destination: outbox.destination })
      .from(outbox)
      .where(and(eq(outbox.platform, platform), eq(outbox.kind, 'post'), eq(outbox.state, 'pending'), eq(outbox.attempts, 0), lte(outbox.nextAttemptAt, now)))
      .groupBy(outbox.destination)
      .having(sql`count(*) > ${threshold}`);
    return rows.map((r) => r.destination);
  }

  async release(id: number, nextAttemptAt: Date): Promise<void> {
    await this.db
      .update(outbox)
      .set({ attempts: sql`greatest(${outbox.attempts} - 1, 0)`, nextAttemptAt })
      .where(and(eq(outbox.id, id), eq(outbox.state, 'pending')));
  }

  async takeStormPosts(platform: string, destination: string, now: Date, limit: number, leaseUntil?: Date): Promise<OutboxEntry[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.platform, platform),
            eq(outbox.destination, destination),
            eq(outbox.kind, 'post'),
            eq(outbox.state, 'pending'),
            lte(outbox.nextAttemptAt, now),
          ),
        )
        .orderBy(asc(outbox.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const rows = await tx
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: leaseUntil ?? new Date(now.getTime() + 60_000) })
        .where(inArray(outbox.id, due.map((d) => d.id)))
        .returning();
      return rows.map(toEntry).sort((a, b) => a.id - b.id);
    });
  }

  async markDelivered(id: number, at: Date): Promise<void> {
    await this.db.update(outbox).set({ state: 'delivered', deliveredAt: at, lastError: null }).where(eq(outbox.id, id));
  }

  async retry(id: number, nextAttemptAt: Date, error: string): Promise<void> {
    await this.db.update(outbox).set({ nextAttemptAt, lastError: error.slice(0, 500) }).where(and(eq(outbox.id, id), eq(outbox.state, 'pending')));
  }

  async park(id: number, error: string): Promise<void> {
    await this.db.update(outbox).set({ state: 'parked', lastError: error.slice(0, 500) }).where(eq(outbox.id, id));
  }

  async getMessage(incidentId: number, platform: string, destination: string): Promise<AlertMessageRef | null> {
    const [row] = await this.db
      .select({ messageRef: alertMessages.messageRef, digest: alertMessages.digest })
      .from(alertMessages)
      .where(and(eq(alertMessages.incidentId, incidentId), eq(alertMessages.platform, platform), eq(alertMessages.destination, destination)));
    return row ?? null;
  }

  async saveMessage(incidentId: number, platform: string, destination: string, ref: AlertMessageRef): Promise<void> {
    await this.db
      .insert(alertMessages)
      .values({ incidentId, platform, destination, messageRef: ref.messageRef, digest: ref.digest })
      .onConflictDoNothing();
  }

  async list(filter: { readonly incidentId?: number; readonly platform?: string }): Promise<OutboxEntry[]> {
    const conditions = [];
    if (filter.incidentId !== undefined) conditions.push(eq(outbox.incidentId, filter.incidentId));
    if (filter.platform !== undefined) conditions.push(eq(outbox.platform, filter.platform));
    const rows = await this.db.select().from(outbox).where(and(...conditions)).orderBy(asc(outbox.id));
    return rows.map(toEntry);
  }
}
