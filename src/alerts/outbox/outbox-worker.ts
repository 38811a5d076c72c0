/**
 * Delivers outbox rows of one platform through its ChatDelivery.
 *
 * - Claims due rows with `FOR UPDATE SKIP LOCKED` and leases them (`leaseMs`), so two linewatch
 *   instances on one database never deliver a row twice; a crashed instance's lease runs out and
 *   the row is retried with the same idempotency key (the adapter dedupes the post).
 * - In order per (incident, destination): the store only hands out the first pending row of a
 *   thread, so an update or reply waits until its post is delivered.
 * - Retries with exponential backoff and jitter; `DeliveryRateLimitedError.retryAfterMs` is honoured
 *   (never earlier, for the row and the whole destination); `DeliveryPermanentError` parks the row.
 * - Budget: at most one message per `perDestinationIntervalMs` to a destination (Slack allows about
 *   one per second per channel); a storm (> `digestThreshold` new posts for one destination) is
 *   sent as one digest (see digest.ts). The budget is per process.
 */
import type { Clock } from '../../domain/index.js';
import type { AlertNote, Mention } from '../alert-view.js';
import type { AlertViewBuilder } from '../alert-view-builder.js';
import { DeliveryPermanentError, DeliveryRateLimitedError, type ChatDelivery } from '../chat-delivery.js';
import type { Incident } from '../incident.js';
import type { IncidentStore, OutboxEntry, OutboxStore } from '../ports.js';
import { buildDigestView } from './digest.js';

export interface OutboxWorkerLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxWorkerOptions {
  readonly outbox: OutboxStore;
  readonly incidents: IncidentStore;
  readonly delivery: ChatDelivery;
  readonly views: AlertViewBuilder;
  readonly clock: Clock;
  readonly logger?: OutboxWorkerLogger;
  /** Rows claimed per pass. Default 20. */
  readonly batchSize?: number;
  /** A claimed row is retried by anyone after this long without an outcome. Default 60,000 ms. */
  readonly leaseMs?: number;
  /** First retry delay; doubles per attempt. Default 1000 ms. */
  readonly backoffBaseMs?: number;
  /** Longest retry delay. Default 300,000 ms (5 min). */
  readonly backoffMaxMs?: number;
  /** Park after this many failed attempts (rate limits do not count). Default 50. */
  readonly maxAttempts?: number;
  /** Per-destination budget. Default 1000 ms (1 message/s); 0 disables. */
  readonly perDestinationIntervalMs?: number;
  /** More than this many new posts waiting for one destination become one digest. Default 20. */
  readonly digestThreshold?: number;
  /** Claim rounds per pass (each delivers at most one row per thread). Default 10. */
  readonly maxRoundsPerPass?: number;
  /** Poll interval of `start()`. Default 500 ms. */
  readonly pollMs?: number;
  /** Jitter source in [0,1); tests inject a fixed one. */
  readonly random?: () => number;
}

export interface PassResult {
  readonly delivered: number;
  readonly retried: number;
  readonly parked: number;
  readonly deferred: number;
  readonly digests: number;
}

export class OutboxWorker {
  readonly platform: string;
  private readonly nextAllowed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PassResult> | null = null;
  private wakeAgain = false;
  private readonly random: () => number;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.platform = o.delivery.platform;
    this.random = o.random ?? Math.random;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.runOnce().catch((err: unknown) => this.o.logger?.error({ err, platform: this.platform }, 'outbox pass failed'));
    }, this.o.pollMs ?? 500);
    this.timer.unref();
  }

  /**
   * New rows were planned: pass now instead of at the next poll (the poll stays for retries,
   * leases and rows planned by another instance). A pass already running takes one more after it.
   */
  wake(): void {
    if (!this.timer) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.runOnce().catch((err: unknown) => this.o.logger?.error({ err, platform: this.platform }, 'outbox pass failed'));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
  }

  /** One pass: digests for storms, then due rows in order. */
  runOnce(): Promise<PassResult> {
    if (this.running) return this.running;
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
    return this.running;
  }

  private async pass(): Promise<PassResult> {
    const r = { delivered: 0, retried: 0, parked: 0, deferred: 0, digests: 0 };
    const now = this.o.clock.now();
    const threshold = this.o.digestThreshold ?? 20;
    for (const destination of await this.o.outbox.stormDestinations(this.platform, now, threshold)) {
      if (!this.budgetAllows(destination, now.getTime())) continue;
      if (await this.digest(destination, now)) r.digests++;
    }
    // A thread hands out one row at a time (post before its edits): claim again while progress is made.
    for (let round = 0; round < (this.o.maxRoundsPerPass ?? 10); round++) {
      const claimedAt = this.o.clock.now();
      const rows = await this.o.outbox.claim(this.platform, claimedAt, new Date(claimedAt.getTime() + (this.o.leaseMs ?? 60_000)), this.o.batchSize ?? 20);
      if (rows.length === 0) break;
      let delivered = 0;
      for (const row of rows) {
        const at = this.o.clock.now();
        const budgeted = row.kind !== 'dm';
        if (budgeted && !this.budgetAllows(row.destination, at.getTime())) {
          await this.o.outbox.release(row.id, new Date(this.nextAllowed.get(row.destination) ?? at.getTime()));
          r.deferred++;
          continue;
        }
        const outcome = await this.deliver(row, at);
        r[outcome]++;
        if (outcome !== 'retried') delivered++;
      }
      if (delivered === 0) break;
    }
    return r;
  }

  private budgetAllows(destination: string, nowMs: number): boolean {
    return (this.nextAllowed.get(destination) ?? 0) <= nowMs;
  }

  private spend(destination: string, nowMs: number, atLeastMs = 0): void {
    const interval = Math.max(this.o.perDestinationIntervalMs ?? 1000, atLeastMs);
    if (interval <= 0) return;
    this.nextAllowed.set(destination, Math.max(this.nextAllowed.get(destination) ?? 0, nowMs + interval));
    if (this.nextAllowed.size > 10_000) this.nextAllowed.clear();
  }

  private async deliver(row: OutboxEntry, now: Date): Promise<'delivered' | 'retried' | 'parked'> {
    // Only messages actually sent spend the destination's budget (not skipped digest edits).
    const spend = () => {
      if (row.kind !== 'dm') this.spend(row.destination, now.getTime());
    };
    const d = this.o.delivery;
    // A claim counts as an attempt (released budget deferrals give theirs back): more than one means
    // an earlier attempt may have landed.
    const attempt = { mayHavePosted: row.attempts > 1 };
    try {
      switch (row.kind) {
        case 'post': {
          const incident = await this.incident(row.incidentId);
          spend();
          const { messageRef } = await d.post(row.destination, this.o.views.build(incident, mentionsOf(row)), row.idempotencyKey, attempt);
          await this.o.outbox.saveMessage(row.incidentId, this.platform, row.destination, { messageRef, digest: false });
          break;
        }
        case 'update': {
          const msg = await this.o.outbox.getMessage(row.incidentId, this.platform, row.destination);
          if (!msg) return this.parkRow(row, 'no message to edit (its post was parked)');
          if (!msg.digest) spend();
          if (!msg.digest) await d.update(row.destination, msg.messageRef, this.o.views.build(await this.incident(row.incidentId)));
          break;
        }
        case 'reply': {
          const msg = await this.o.outbox.getMessage(row.incidentId, this.platform, row.destination);
          if (!msg) return this.parkRow(row, 'no thread to reply in (its post was parked)');
          let note = noteOf(row);
          if (msg.digest) {
            const incident = await this.incident(row.incidentId);
            note = { ...note, text: `#${incident.id} ${incident.unique ?? this.o.views.scope(incident)}: ${note.text}` };
          }
          spend();
          await d.reply(row.destination, msg.messageRef, note, row.idempotencyKey, attempt);
          break;
        }
        case 'dm':
          await d.directMessage(row.destination, noteOf(row), row.idempotencyKey, attempt);
          break;
      }
      await this.o.outbox.markDelivered(row.id, this.o.clock.now());
      return 'delivered';
    } catch (err) {
      return this.failed(row, err, now);
    }
  }

  private async failed(row: OutboxEntry, err: unknown, now: Date): Promise<'retried' | 'parked'> {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (err instanceof DeliveryPermanentError) return this.parkRow(row, message);
    if (err instanceof DeliveryRateLimitedError) {
      // Never earlier than asked; a little jitter so instances do not return in lockstep.
      const delay = err.retryAfterMs + Math.floor(this.random() * Math.min(1000, err.retryAfterMs * 0.1 + 1));
      this.spend(row.destination, now.getTime(), delay);
      await this.o.outbox.release(row.id, new Date(now.getTime() + delay));
      this.o.logger?.warn({ platform: this.platform, destination: row.destination, retryAfterMs: err.retryAfterMs }, 'alert delivery rate limited');
      return 'retried';
    }
    if (row.attempts >= (this.o.maxAttempts ?? 50)) return this.parkRow(row, `gave up after ${row.attempts} attempts: ${message}`);
    const base = this.o.backoffBaseMs ?? 1000;
    const capped = Math.min(this.o.backoffMaxMs ?? 300_000, base * 2 ** Math.min(row.attempts - 1, 30));
    const delay = Math.round(capped / 2 + (capped / 2) * this.random());
    await this.o.outbox.retry(row.id, new Date(now.getTime() + delay), message);
    this.o.logger?.warn({ platform: this.platform, outboxId: row.id, attempts: row.attempts, delayMs: delay, err: message }, 'alert delivery failed; retrying');
    return 'retried';
  }

  private async parkRow(row: OutboxEntry, reason: string): Promise<'parked'> {
    await this.o.outbox.park(row.id, reason);
    this.o.logger?.error({ platform: this.platform, outboxId: row.id, incidentId: row.incidentId, reason }, 'alert delivery parked');
    return 'parked';
  }

  private async digest(destination: string, now: Date): Promise<boolean> {
    const rows = await this.o.outbox.takeStormPosts(this.platform, destination, now, 500, new Date(now.getTime() + (this.o.leaseMs ?? 60_000)));
    if (rows.length === 0) return false;
    const incidents: Incident[] = [];
    for (const row of rows) {
      const incident = await this.o.incidents.get(row.incidentId);
      if (incident) incidents.push(incident);
    }
    this.spend(destination, now.getTime());
    try {
      const view = buildDigestView(this.o.views, incidents);
      const { messageRef } = await this.o.delivery.post(destination, view, `digest:${this.platform}:${destination}:${rows[0]!.id}`);
      for (const row of rows) {
        await this.o.outbox.saveMessage(row.incidentId, this.platform, destination, { messageRef, digest: true });
        await this.o.outbox.markDelivered(row.id, this.o.clock.now());
      }
      return true;
    } catch (err) {
      for (const row of rows) await this.failed(row, err, now);
      return false;
    }
  }

  private async incident(id: number): Promise<Incident> {
    const incident = await this.o.incidents.get(id);
    if (!incident) throw new DeliveryPermanentError(`incident ${id} no longer exists`);
    return incident;
  }
}

function noteOf(row: OutboxEntry): AlertNote {
  const note = (row.payload as { note?: AlertNote } | null)?.note;
  if (!note || typeof note.text !== 'string') throw new DeliveryPermanentError(`outbox row ${row.id} has no note`);
  return { incidentId: row.incidentId, text: note.text, mentions: Array.isArray(note.mentions) ? note.mentions : [] };
}

function mentionsOf(row: OutboxEntry): readonly Mention[] {
  const mentions = (row.payload as { mentions?: Mention[] } | null)?.mentions;
  return Array.isArray(mentions) ? mentions : [];
}
