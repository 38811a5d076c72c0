/**
 * Polls due escalation jobs every second and runs them. Claims go through the store's
 * `FOR UPDATE SKIP LOCKED` lease, so any number of instances can poll one database and each job
 * runs once; a job whose worker died is claimed again when its lease expires, so a restart
 * continues from the rows. Steps due now (the step after an immediate one) run in the same tick;
 * pages are sent concurrently and never hold up the steps.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/index.js';
import type { EscalationJob, EscalationStore, OncallLogger } from './ports.js';
import type { JobResult, StepExecutor } from './step-executor.js';

export interface EscalationWorkerOptions {
  readonly store: EscalationStore;
  readonly executor: StepExecutor;
  readonly clock: Clock;
  readonly logger: OncallLogger;
  /** Unique per process; defaults to a random id. */
  readonly workerId?: string;
  readonly pollMs?: number;
  /** How long a claimed step stays leased to this worker. */
  readonly leaseMs?: number;
  /** Longer than the pager's HTTP timeout. */
  readonly pageLeaseMs?: number;
  readonly batchSize?: number;
  /** Bound on claim rounds per tick (each round runs steps that became due). */
  readonly maxRounds?: number;
  /** Bound on pages in flight at once. */
  readonly maxPagesInFlight?: number;
}

export class EscalationWorker {
  readonly workerId: string;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly pageLeaseMs: number;
  private readonly batchSize: number;
  private readonly maxRounds: number;
  private readonly maxPagesInFlight: number;
  private readonly pages = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly o: EscalationWorkerOptions) {
    this.workerId = o.workerId ?? `oncall-${randomUUID()}`;
    this.pollMs = o.pollMs ?? 1000;
    this.leaseMs = o.leaseMs ?? 60_000;
    this.pageLeaseMs = o.pageLeaseMs ?? 60_000;
    this.batchSize = o.batchSize ?? 20;
    this.maxRounds = o.maxRounds ?? 50;
    this.maxPagesInFlight = o.maxPagesInFlight ?? 8;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => this.o.logger.error({ err }, 'oncall: escalation tick failed'))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.pollMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the current tick and pages in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
    await this.idle();
  }

  /** Resolves when no page is in flight. */
  async idle(): Promise<void> {
    for (let i = 0; i < 100 && this.pages.size > 0; i++) await Promise.allSettled([...this.pages]);
  }

  /** Runs every due step, reminder and resume (bounded rounds) and starts due pages. Returns jobs run. */
  async tick(): Promise<number> {
    let count = 0;
    for (let round = 0; round < this.maxRounds; round++) {
      const now = this.o.clock.now();
      const jobs = await this.o.store.claimDue(['step', 'reminder', 'resume'], now, new Date(now.getTime() + this.leaseMs), this.workerId, this.batchSize);
      for (const job of jobs) {
        await this.runOne(job);
        count++;
      }
      if (jobs.length === 0) break;
    }
    await this.startPages();
    return count;
  }

  private async startPages(): Promise<void> {
    const free = this.maxPagesInFlight - this.pages.size;
    if (free <= 0) return;
    const now = this.o.clock.now();
    const jobs = await this.o.store.claimDue(['page'], now, new Date(now.getTime() + this.pageLeaseMs), this.workerId, free);
    for (const job of jobs) {
      const p: Promise<void> = this.runOne(job)
        .catch((err: unknown) => this.o.logger.error({ err, jobId: job.id }, 'oncall: page job failed'))
        .finally(() => this.pages.delete(p));
      this.pages.add(p);
    }
  }

  private async runOne(job: EscalationJob): Promise<void> {
    let result: JobResult;
    try {
      result = await this.o.executor.run(job, this.o.clock.now());
    } catch (err) {
      this.o.logger.error({ err, jobId: job.id, kind: job.kind }, 'oncall: job raised; retrying later');
      const now = this.o.clock.now();
      await this.o.store.retry(job, this.workerId, new Date(now.getTime() + 30_000), (err as Error).message, []);
      return;
    }
    const at = this.o.clock.now();
    const held =
      result.kind === 'complete'
        ? await this.o.store.complete(job, this.workerId, result.completion, at)
        : await this.o.store.retry(job, this.workerId, result.dueAt, result.error, result.log);
    if (!held) this.o.logger.warn({ jobId: job.id, kind: job.kind }, 'oncall: lease lost before the job finished');
  }
}
