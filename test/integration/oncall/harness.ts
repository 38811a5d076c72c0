/**
 * Test rig for escalation: a migrated database, a settable clock, a recording notifier whose
 * `page` goes through the real `WebhookPager` to a local fake webhook server on port 0.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Actor, AlertNote, Incident, IncidentChange, Mention } from '../../../src/alerts/index.js';
import {
  EscalationService,
  EscalationWorker,
  NoteBuilder,
  OncallConfigSource,
  OncallDirectory,
  StepExecutor,
  WebhookPager,
  parseOncallYaml,
  type EscalationNotifier,
  type OncallPerson,
  type PageRequest,
} from '../../../src/oncall/index.js';
import { DrizzleEscalationStore } from '../../../src/store/repos/oncall-escalation-repo.js';
import { DrizzleOncallSettingsStore } from '../../../src/store/repos/oncall-settings-repo.js';
import type { Db } from '../../../src/store/db.js';

export class TestClock {
  constructor(public t: Date) {}
  now = (): Date => new Date(this.t.getTime());
  set(iso: string | Date): void {
    this.t = new Date(iso);
  }
  plusMinutes(base: Date, minutes: number): Date {
    return new Date(base.getTime() + minutes * 60_000);
  }
}

export interface Call {
  readonly at: string;
  readonly kind: 'channel' | 'mention' | 'dm' | 'page';
  readonly who: string;
  readonly text: string;
  readonly key: string;
}

export class RecordingNotifier implements EscalationNotifier {
  readonly calls: Call[] = [];
  constructor(
    private readonly clock: TestClock,
    private readonly pager: WebhookPager,
  ) {}
  async notifyChannel(_i: Incident, targets: readonly string[] | undefined, note: AlertNote, key: string): Promise<void> {
    this.calls.push({ at: this.clock.now().toISOString(), kind: 'channel', who: targets?.join(',') ?? '', text: note.text, key });
  }
  async mentionInChannel(_i: Incident, mentions: readonly Mention[], note: AlertNote, key: string): Promise<void> {
    this.calls.push({ at: this.clock.now().toISOString(), kind: 'mention', who: mentions.map((m) => m.name).join(','), text: note.text, key });
  }
  async directMessage(person: OncallPerson, note: AlertNote, key: string): Promise<void> {
    this.calls.push({ at: this.clock.now().toISOString(), kind: 'dm', who: person.name, text: note.text, key });
  }
  async page(incident: Incident, webhook: PageRequest['webhook'], payload: PageRequest): Promise<void> {
    this.calls.push({ at: this.clock.now().toISOString(), kind: 'page', who: `${webhook}:${payload.eventAction}`, text: '', key: '' });
    await this.pager.page(incident, webhook, payload);
  }
  /** `[minute offset from t0, kind, who]` tuples, for exact timelines. */
  timeline(t0: Date): [number, Call['kind'], string][] {
    return this.calls.map((c) => [(Date.parse(c.at) - t0.getTime()) / 60_000, c.kind, c.who]);
  }
}

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A fake PagerDuty / generic webhook endpoint; `statuses` are answered in order, then 202. */
export class FakeWebhookServer {
  readonly received: Received[] = [];
  statuses: number[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        const status = this.statuses.shift() ?? 202;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 202 ? 'success' : 'error' }));
      });
    });
    // Idle keep-alive sockets outlive a test's pauses: no reset race with the client's pool.
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2/enqueue`;
  }

  async stop(): Promise<void> {
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }
}

export const yamlFor = (pageUrl: string, policyExtra = '', steps?: string) => `
people:
  - id: aoi
    name: Aoi
    timezone: Asia/Tokyo
    slack_user_id: U0AOI
    discord_user_id: "100000000000000001"
  - id: ben
    name: Ben
    slack_user_id: U0BEN
  - id: chika
    name: Chika
    discord_user_id: "100000000000000003"
schedules:
  - id: primary
    name: Primary
    timezone: Asia/Tokyo
    layers:
      - name: backup
        rotation: weekly
        handoff: "10:00"
        start: 2026-11-02
        participants: [chika]
      - name: main
        rotation: daily
        handoff: "09:00"
        start: 2026-11-26
        participants: [aoi, ben]
escalation_policies:
  - id: lines
    name: Line alerts
${policyExtra}
    steps:
${
  steps ??
  `      - type: notify_channel
      - type: wait
        minutes: 5
      - type: mention_oncall
        schedule: primary
      - type: wait
        minutes: 10
      - type: dm_oncall
        schedule: primary
      - type: page
        webhook: pagerduty
        url: ${pageUrl}
        routing_key: R0UTINGKEY0000000000000000000001
      - type: wait
        minutes: 15
      - type: repeat
        times: 1`
}
`;

export function incident(id: number, state: Incident['state'] = 'open', at = new Date('2026-11-26T01:00:00Z')): Incident {
  return {
    id,
    cause: 'deregistered',
    severity: 'critical',
    state,
    unique: '0000000773',
    circle: '123456789',
    accountLoginId: 'acme',
    scopeKey: '0000000773',
    openedAt: at,
    updatedAt: at,
    resolvedAt: null,
    snoozedUntil: null,
    count: 1,
    lastSeenAt: at,
    lastSource: '203.0.113.7:5062',
    lastUserAgent: null,
    tips: [],
    parentId: null,
    detail: {},
    acknowledgedBy: null,
    resolvedBy: null,
  };
}

export const sato: Actor = { source: 'slack', id: 'U0SATO', name: 'Sato' };

/** Everything wired as main.ts would, on one database handle. */
export function buildOncall(db: Db, clock: TestClock, yaml: string, workerId: string) {
  const store = new DrizzleEscalationStore(db);
  const settings = new DrizzleOncallSettingsStore(db);
  const config = new OncallConfigSource(parseOncallYaml(yaml), settings);
  const notes = new NoteBuilder('en', 'Asia/Tokyo');
  const logger = { warn: () => {}, error: (o: Record<string, unknown>, msg: string) => console.error(msg, o) };
  const notifier = new RecordingNotifier(clock, new WebhookPager({ timeoutMs: 15_000 }));
  const executor = new StepExecutor({ store, notifier, config, notes });
  const worker = new EscalationWorker({ store, executor, clock, logger, workerId });
  const service = new EscalationService({ store, config, clock, notes, logger });
  const directory = new OncallDirectory(config, settings, 'en', clock);
  const emit = (change: IncidentChange) => service.handle(change);
  const runAt = async (iso: string | Date) => {
    clock.set(iso);
    const n = await worker.tick();
    await worker.idle();
    return n;
  };
  return { store, settings, config, notifier, executor, worker, service, directory, emit, runAt };
}
