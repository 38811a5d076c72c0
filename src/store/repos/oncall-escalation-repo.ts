/**
 * PostgreSQL / PGlite implementation of the on-call `EscalationStore`. Jobs are claimed with
 * `FOR UPDATE SKIP LOCKED` in one UPDATE … RETURNING, so two instances on one database never lease
 * the same job; every transition compares-and-sets the escalation state and bumps its fencing token.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbTx } from '../db.js';
import {
  escalationLog,
  oncallEscalationJobs,
  oncallEscalations,
  type EscalationLogRow,
  type OncallEscalationJobRow,
  type OncallEscalationRow,
} from '../schema/index.js';
import type {
  Escalation,
  EscalationJob,
  EscalationLogEntry,
  EscalationLogType,
  EscalationSnapshot,
  EscalationState,
  EscalationStore,
  JobCompletion,
  JobKind,
  NewJob,
} from '../../oncall/index.js';

const toEscalation = (r: OncallEscalationRow): Escalation => ({
  id: r.id,
  incidentId: r.incidentId,
  policyId: r.policyId,
  snapshot: r.snapshot as unknown as EscalationSnapshot,
  state: r.state,
  fencingToken: r.fencingToken,
  stepIndex: r.stepIndex,
  repeatCount: r.repeatCount,
  layerDepth: r.layerDepth,
  remindersSent: r.remindersSent,
  startedAt: r.startedAt,
  updatedAt: r.updatedAt,
});

const toJob = (r: OncallEscalationJobRow): EscalationJob => ({
  id: r.id,
  escalationId: r.escalationId,
  incidentId: r.incidentId,
  kind: r.kind,
  stepIndex: r.stepIndex,
  dueAt: r.dueAt,
  fencingToken: r.fencingToken,
  attempts: r.attempts,
  payload: r.payload ?? null,
});

const toEntry = (r: EscalationLogRow): EscalationLogEntry => ({
  incidentId: r.incidentId,
  escalationId: r.escalationId,
  at: r.at,
  type: r.type as EscalationLogType,
  actor: { source: r.actorSource as EscalationLogEntry['actor']['source'], id: r.actorId, name: r.actorName },
  reason: r.reason,
  detail: r.detail ?? {},
});

const logRow = (e: EscalationLogEntry, escalationId: number | null) => ({
  incidentId: e.incidentId,
  escalationId: e.escalationId ?? escalationId,
  at: e.at,
  type: e.type,
  actorSource: e.actor.source,
  actorId: e.actor.id,
  actorName: e.actor.name,
  reason: e.reason,
  detail: { ...e.detail },
});

const jobRow = (j: NewJob, escalationId: number, incidentId: number, token: number) => ({
  escalationId,
  incidentId,
  kind: j.kind,
  stepIndex: j.stepIndex,
  dueAt: j.dueAt,
  fencingToken: token,
  state: 'pending' as const,
  payload: j.payload ?? null,
});

async function insertLog(tx: Db | DbTx, entries: readonly EscalationLogEntry[], escalationId: number | null): Promise<void> {
  if (entries.length > 0) await tx.insert(escalationLog).values(entries.map((e) => logRow(e, escalationId)));
}

export class DrizzleEscalationStore implements EscalationStore {
  constructor(private readonly db: Db) {}

  async start(
    e: { incidentId: number; policyId: string; snapshot: EscalationSnapshot; at: Date },
    jobs: readonly NewJob[],
    log: readonly EscalationLogEntry[],
  ): Promise<Escalation | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(oncallEscalations)
        .values({ incidentId: e.incidentId, policyId: e.policyId, snapshot: e.snapshot as unknown as Record<string, unknown>, state: 'active', startedAt: e.at, updatedAt: e.at })
        .onConflictDoNothing({ target: oncallEscalations.incidentId })
        .returning();
      if (!row) return null;
      if (jobs.length > 0) await tx.insert(oncallEscalationJobs).values(jobs.map((j) => jobRow(j, row.id, row.incidentId, row.fencingToken)));
      await insertLog(tx, log, row.id);
      return toEscalation(row);
    });
  }

  async get(id: number): Promise<Escalation | null> {
    const [row] = await this.db.select().from(oncallEscalations).where(eq(oncallEscalations.id, id));
    return row ? toEscalation(row) : null;
  }

  async getByIncident(incidentId: number): Promise<Escalation | null> {
    const [row] = await this.db.select().from(oncallEscalations).where(eq(oncallEscalations.incidentId, incidentId));
    return row ? toEscalation(row) : null;
  }

  async transition(
    incidentId: number,
    from: readonly EscalationState[],
    to: EscalationState,
    at: Date,
    jobs: readonly NewJob[],
    log: readonly EscalationLogEntry[],
  ): Promise<Escalation | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(oncallEscalations)
        .set({ state: to, fencingToken: sql`${oncallEscalations.fencingToken} + 1`, updatedAt: at })
        .where(and(eq(oncallEscalations.incidentId, incidentId), inArray(oncallEscalations.state, [...from])))
        .returning();
      if (!row) return null;
      if (jobs.length > 0) await tx.insert(oncallEscalationJobs).values(jobs.map((j) => jobRow(j, row.id, row.incidentId, row.fencingToken)));
      await insertLog(tx, log, row.id);
      return toEscalation(row);
    });
  }

  async claimDue(kinds: readonly JobKind[], now: Date, leaseUntil: Date, workerId: string, limit: number): Promise<EscalationJob[]> {
    const j = oncallEscalationJobs;
    const kindList = sql.join(kinds.map((k) => sql`${k}`), sql`, `);
    // Raw SQL parameters bypass drizzle's column mapping: postgres.js needs the instant as text.
    const at = sql`${now.toISOString()}::timestamptz`;
    const rows = await this.db
      .update(j)
      .set({ state: 'running', claimedBy: workerId, leaseUntil, attempts: sql`${j.attempts} + 1` })
      .where(
        inArray(
          j.id,
          sql`(select ${j.id} from ${j} where ${j.kind} in (${kindList}) and ((${j.state} = 'pending' and ${j.dueAt} <= ${at}) or (${j.state} = 'running' and ${j.leaseUntil} < ${at})) order by ${j.dueAt}, ${j.id} limit ${limit} for update skip locked)`,
        ),
      )
      .returning();
    return rows.map(toJob).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
  }

  async complete(job: EscalationJob, workerId: string, c: JobCompletion, at: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const j = oncallEscalationJobs;
      const done = await tx
        .update(j)
        .set({ state: c.jobState, finishedAt: at, lastError: c.lastError ?? null, leaseUntil: null })
        .where(and(eq(j.id, job.id), eq(j.claimedBy, workerId), eq(j.state, 'running')))
        .returning({ id: j.id });
      if (done.length === 0) return false;
      if (c.progress || (c.next && c.next.length > 0)) {
        const e = oncallEscalations;
        const [row] = await tx
          .update(e)
          .set({ ...c.progress, updatedAt: at })
          .where(and(eq(e.id, job.escalationId), eq(e.fencingToken, job.fencingToken)))
          .returning();
        if (row && c.next && c.next.length > 0) await tx.insert(j).values(c.next.map((n) => jobRow(n, row.id, row.incidentId, row.fencingToken)));
      }
      // The actions ran: they are logged even when a transition overtook the job meanwhile.
      await insertLog(tx, c.log, job.escalationId);
      return true;
    });
  }

  async retry(job: EscalationJob, workerId: string, dueAt: Date, error: string, log: readonly EscalationLogEntry[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const j = oncallEscalationJobs;
      const done = await tx
        .update(j)
        .set({ state: 'pending', dueAt, lastError: error, leaseUntil: null, claimedBy: null })
        .where(and(eq(j.id, job.id), eq(j.claimedBy, workerId), eq(j.state, 'running')))
        .returning({ id: j.id });
      if (done.length === 0) return false;
      await insertLog(tx, log, job.escalationId);
      return true;
    });
  }

  async pageJobs(escalationId: number): Promise<EscalationJob[]> {
    const rows = await this.db
      .select()
      .from(oncallEscalationJobs)
      .where(and(eq(oncallEscalationJobs.escalationId, escalationId), eq(oncallEscalationJobs.kind, 'page')))
      .orderBy(asc(oncallEscalationJobs.id));
    return rows.map(toJob);
  }

  async appendLog(entries: readonly EscalationLogEntry[]): Promise<void> {
    await insertLog(this.db, entries, null);
  }

  async history(incidentId: number): Promise<EscalationLogEntry[]> {
    const rows = await this.db.select().from(escalationLog).where(eq(escalationLog.incidentId, incidentId)).orderBy(asc(escalationLog.id));
    return rows.map(toEntry);
  }
}
