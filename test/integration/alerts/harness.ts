/**
 * Scenario harness: a migrated test database, the real repos, engine, service, planner and a
 * worker per platform with a recording fake ChatDelivery; events are appended to the event store
 * and the engine is woken, like the RegistrationWriter does in production.
 */
import type { AlertNote, AlertView, ChatDelivery, DeliveryAttempt, Platform } from '../../../src/alerts/index.js';
import { AlertEngine, AlertRouter, AlertViewBuilder, IncidentService, LineDirectory, OutboxPlanner, OutboxWorker, RoutingConfigSchema } from '../../../src/alerts/index.js';
import type { EngineThresholds } from '../../../src/alerts/index.js';
import type { RegistrationEvent, StoredRegistrationEvent } from '../../../src/domain/index.js';
import { DrizzleAccountRepo, DrizzleBindingRepo, DrizzleCircleRepo, DrizzleEventRepo, DrizzleUniqueRepo } from '../../../src/store/index.js';
import { DrizzleIncidentRepo } from '../../../src/store/repos/incident-repo.js';
import { DrizzleOutboxRepo } from '../../../src/store/repos/outbox-repo.js';
import type { TestDb } from '../../helpers/test-db.js';

export class ManualClock {
  constructor(public ms: number) {}
  now = () => new Date(this.ms);
  advance(seconds: number): Date {
    this.ms += seconds * 1000;
    return this.now();
  }
}

export type DeliveryCall =
  | { op: 'post'; destination: string; view: AlertView; key: string }
  | { op: 'update'; destination: string; ref: string; view: AlertView }
  | { op: 'reply'; destination: string; ref: string; note: AlertNote; key: string }
  | { op: 'dm'; userId: string; note: AlertNote; key: string };

/** Records every call; `failNext` scripts errors for the next calls. */
export class FakeDelivery implements ChatDelivery {
  readonly calls: DeliveryCall[] = [];
  /** `mayHavePosted` of every post attempt, failed ones included, in order. */
  readonly postAttempts: boolean[] = [];
  readonly failures: Error[] = [];
  private seq = 0;
  private readonly posted = new Map<string, string>();
  constructor(readonly platform: Platform) {}

  private maybeFail(): void {
    const err = this.failures.shift();
    if (err) throw err;
  }

  async post(destination: string, view: AlertView, key: string, attempt?: DeliveryAttempt) {
    this.postAttempts.push(attempt?.mayHavePosted ?? false);
    this.maybeFail();
    // Idempotent like Discord's enforce_nonce: the same key returns the same message.
    const existing = this.posted.get(key);
    if (existing) return { messageRef: existing };
    const messageRef = `${destination}:m${++this.seq}`;
    this.posted.set(key, messageRef);
    this.calls.push({ op: 'post', destination, view, key });
    return { messageRef };
  }
  async update(destination: string, ref: string, view: AlertView) {
    this.maybeFail();
    this.calls.push({ op: 'update', destination, ref, view });
  }
  async reply(destination: string, ref: string, note: AlertNote, key: string) {
    this.maybeFail();
    this.calls.push({ op: 'reply', destination, ref, note, key });
  }
  async directMessage(userId: string, note: AlertNote, key: string) {
    this.maybeFail();
    this.calls.push({ op: 'dm', userId, note, key });
  }
}

export const T0 = Date.parse('2026-11-26T01:00:00Z');

export function ev(type: RegistrationEvent['type'], unique: string, at: Date, over: Partial<RegistrationEvent> = {}): RegistrationEvent {
  return {
    type,
    unique,
    at,
    method: 'REGISTER',
    source: '203.0.113.7:5062',
    transport: 'udp',
    userAgent: 'Yealink SIP-T46U',
    contact: `sip:${unique}@203.0.113.7:5062`,
    callId: `call-${unique}`,
    requestedExpires: 300,
    grantedExpires: type === 'registered' || type === 'refreshed' ? 300 : null,
    responseCode: 200,
    detail: {},
    ...over,
  };
}

export interface HarnessOptions {
  readonly thresholds?: Partial<EngineThresholds>;
  readonly workerOptions?: Partial<ConstructorParameters<typeof OutboxWorker>[0]>;
  readonly locale?: 'ja' | 'en';
}

export async function buildHarness(db: TestDb, opts: HarnessOptions = {}) {
  const clock = new ManualClock(T0);
  const incidentRepo = new DrizzleIncidentRepo(db);
  const outboxRepo = new DrizzleOutboxRepo(db.db);
  const events = new DrizzleEventRepo(db);
  const uniques = new DrizzleUniqueRepo(db.db);
  const circles = new DrizzleCircleRepo(db.db);
  const accounts = new DrizzleAccountRepo(db.db);
  const views = new AlertViewBuilder({ locale: opts.locale ?? 'en', timeZone: 'Asia/Tokyo' });
  const service = new IncidentService({ store: incidentRepo, clock });
  const router = new AlertRouter(RoutingConfigSchema.parse({ log: false }), { slackChannel: 'C-ALERTS' });
  const planner = new OutboxPlanner({ store: outboxRepo, router, views, clock });
  service.onChange((c) => planner.handle(c));
  const engine = new AlertEngine({
    incidents: service,
    store: incidentRepo,
    events,
    directory: new LineDirectory(uniques, circles),
    bindings: new DrizzleBindingRepo(db),
    clock,
    locale: opts.locale ?? 'en',
    timeZone: 'Asia/Tokyo',
    minExpires: 60,
    thresholds: opts.thresholds,
  });
  const slack = new FakeDelivery('slack');
  const makeWorker = (delivery: ChatDelivery, extra: HarnessOptions['workerOptions'] = {}) =>
    new OutboxWorker({ outbox: outboxRepo, incidents: incidentRepo, delivery, views, clock, perDestinationIntervalMs: 0, random: () => 0, ...opts.workerOptions, ...extra });
  const worker = makeWorker(slack);

  async function provision(circle: string, numbers: readonly string[], account = 'acme') {
    if (!(await accounts.get(account))) await accounts.create({ loginId: account, name: null });
    if (!(await circles.get(circle))) await circles.create({ number: circle, accountLoginId: account, userInfo: null, department: null, contact: null, appliedOn: null, state: 'active' });
    await uniques.importMany(
      numbers.map((n) => ({ number: n, circleNumber: circle, type: 'sip_terminal' as const, loginServer: 'sip3.example.net', credentials: { number: n, realm: 'sip3.example.net', ha1Md5: 'x', ha1Sha256: 'y' } })),
      new Date(T0 - 86_400_000 * 3),
    );
  }

  async function feed(...list: RegistrationEvent[]): Promise<StoredRegistrationEvent[]> {
    const stored = await events.append(list);
    await engine.wake();
    return stored;
  }

  async function tickTo(seconds: number): Promise<void> {
    clock.ms = T0 + seconds * 1000;
    await engine.tick(clock.now());
  }

  const at = (seconds: number) => new Date(T0 + seconds * 1000);

  return { clock, incidentRepo, outboxRepo, events, uniques, views, service, router, planner, engine, slack, worker, makeWorker, provision, feed, tickTo, at };
}
