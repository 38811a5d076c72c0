/**
 * A provisioned PGlite database and fake ports for command-service tests: one circle per account,
 * lines in every state, events at fixed times relative to a fixed clock.
 */
import { CredentialCache, LineQueries, Provisioning } from '../../../../src/app/index.js';
import type { Actor, AlertView, Incident } from '../../../../src/alerts/index.js';
import { CommandService } from '../../../../src/chat/commands/command-service.js';
import type { IncidentAuditEntry, IncidentPort, LiveRegistrations, OncallPort } from '../../../../src/chat/commands/ports.js';
import type { Binding, ExternalLineState, ExternalLoginServers, Locale, RegistrationEvent } from '../../../../src/domain/index.js';
import { createTimeFormatter } from '../../../../src/domain/index.js';
import {
  DrizzleAccountRepo,
  DrizzleBindingRepo,
  DrizzleCircleRepo,
  DrizzleEventRepo,
  DrizzleUniqueRepo,
  RegistrationWriter,
} from '../../../../src/store/index.js';
import type { TestDb } from '../../../helpers/test-db.js';

/** 2026-11-26 17:40:00 JST */
export const NOW = new Date('2026-11-26T08:40:00Z');
export const clock = { now: () => NOW };
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

export const SERVED = 'sip.example.net';
export const EXTERNAL = 'ext.example.net';
export const sato: Actor = { source: 'slack', id: 'U100', name: 'Sato' };

export interface Repos {
  uniques: DrizzleUniqueRepo;
  circles: DrizzleCircleRepo;
  bindings: DrizzleBindingRepo;
  events: DrizzleEventRepo;
}

const event = (type: RegistrationEvent['type'], unique: string, secondsAgo: number, extra: Partial<RegistrationEvent> = {}): RegistrationEvent => ({
  type, unique, at: ago(secondsAgo), method: 'REGISTER', source: '203.0.113.7:5062', transport: 'udp', userAgent: 'Yealink SIP-T46S 66.86.0.15',
  contact: `sip:${unique}@192.168.1.20:5062`, callId: 'call-1', requestedExpires: 600, grantedExpires: 600, responseCode: 200, detail: {}, ...extra,
});

/** Lines: 773 registered, 774 wrong password, 775 IVR (unsupported), 776 external, 777 never registered, 901 other account. */
export async function provision(db: TestDb): Promise<Repos> {
  const repos = {
    uniques: new DrizzleUniqueRepo(db.db),
    circles: new DrizzleCircleRepo(db.db),
    bindings: new DrizzleBindingRepo(db),
    events: new DrizzleEventRepo(db),
  };
  const p = new Provisioning({
    accounts: new DrizzleAccountRepo(db.db), circles: repos.circles, uniques: repos.uniques,
    credentialCache: new CredentialCache(SERVED), clock, realm: SERVED, defaultLoginServer: SERVED,
  });
  await p.createAccount('acme', 'ACME');
  await p.createAccount('other', 'Other Inc.');
  await p.createCircle({ number: '123456789', accountLoginId: 'acme', userInfo: '株式会社アクメ', department: '総務部', contact: '山田', appliedOn: '2025-04-01' });
  await p.createCircle({ number: '987654321', accountLoginId: 'other' });
  const lines: [string, string, string?][] = [
    ['0000000773', 'sip_terminal'], ['0000000774', 'smartphone'], ['0000000775', 'ivr'],
    ['0000000776', 'softphone', EXTERNAL], ['0000000777', 'sip_trunk'],
  ];
  for (const [number, type, loginServer] of lines) {
    await p.createUnique({ number, circleNumber: '123456789', type, password: 'Secret-pass-1', ...(loginServer ? { loginServer } : {}) });
  }
  await p.createUnique({ number: '0000000901', circleNumber: '987654321', type: 'sip_terminal', password: 'Secret-pass-1' });

  await repos.events.append([
    event('expired', '0000000773', 5 * 3600, { responseCode: null }),
    event('registered', '0000000773', 4 * 3600 + 50 * 60),
    event('registered', '0000000774', 3 * 86400),
    event('expired', '0000000774', 2 * 86400, { responseCode: null }),
    event('registered', '0000000773', 2 * 3600),
    event('refreshed', '0000000773', 13 * 60),
    event('stale_nonce', '0000000773', 8 * 60, { responseCode: 401, grantedExpires: null }),
    event('refreshed', '0000000773', 3 * 60),
    event('auth_failed', '0000000774', 10 * 60, { responseCode: 403, grantedExpires: null, source: '198.51.100.9:5060' }),
  ]);
  const binding: Binding = {
    unique: '0000000773', contact: 'sip:0000000773@192.168.1.20:5062', source: '203.0.113.7:5062', transport: 'udp',
    userAgent: 'Yealink SIP-T46S 66.86.0.15', callId: 'call-1', cseq: 42, path: [], instanceId: null, regId: null, q: null,
    requestedExpires: 600, grantedExpires: 600, registeredAt: ago(2 * 3600), refreshedAt: ago(3 * 60), expiresAt: ago(3 * 60 - 600),
  };
  const writer = new RegistrationWriter({ query: db.query });
  await writer.persist({ upserts: [binding], removals: [], events: [] });
  await writer.stop();
  return repos;
}

/** External login server that answers after `delayMs`, or times out; counts calls in flight. */
export class FakeExternal implements ExternalLoginServers {
  answer: ExternalLineState = { ok: false, reason: 'timeout', message: 'no answer within 2000 ms' };
  inFlight = 0;
  maxInFlight = 0;
  calls = 0;
  constructor(private readonly delayMs = 0) {}
  has(loginServer: string): boolean {
    return loginServer === EXTERNAL;
  }
  async query(): Promise<ExternalLineState> {
    this.calls += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight -= 1;
    return this.answer;
  }
}

export const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 42, cause: 'password_error', severity: 'warning', state: 'open', unique: '0000000774', circle: '123456789', accountLoginId: 'acme',
  scopeKey: '0000000774', openedAt: ago(600), updatedAt: ago(600), resolvedAt: null, snoozedUntil: null, count: 3, lastSeenAt: ago(600),
  lastSource: '198.51.100.9:5060', lastUserAgent: 'Yealink', tips: ['Check the password'], parentId: null, detail: {},
  acknowledgedBy: null, resolvedBy: null, ...over,
});

/** In-memory incidents with the port's semantics. */
export class FakeIncidents implements IncidentPort {
  readonly byId = new Map<number, Incident>();
  readonly log = new Map<number, IncidentAuditEntry[]>();
  failWith: Error | null = null;
  constructor(incidents: Incident[]) {
    for (const i of incidents) {
      this.byId.set(i.id, i);
      this.log.set(i.id, [{ at: i.openedAt, type: 'opened', actor: { source: 'system', id: null, name: null }, reason: null }]);
    }
  }
  async openForUnique(unique: string) {
    return [...this.byId.values()].filter((i) => i.unique === unique && i.state !== 'resolved');
  }
  private async change(id: number, state: Incident['state'], actor: Actor, extra: Partial<Incident> = {}) {
    if (this.failWith) throw this.failWith;
    const updated = { ...this.byId.get(id)!, state, updatedAt: NOW, ...extra };
    this.byId.set(id, updated);
    this.log.get(id)!.push({ at: NOW, type: state, actor, reason: null });
    return updated;
  }
  acknowledge(id: number, actor: Actor) {
    return this.change(id, 'acknowledged', actor, { acknowledgedBy: actor });
  }
  resolve(id: number, actor: Actor) {
    return this.change(id, 'resolved', actor, { resolvedBy: actor, resolvedAt: NOW });
  }
  snooze(id: number, until: Date, actor: Actor) {
    return this.change(id, 'snoozed', actor, { snoozedUntil: until });
  }
  async get(id: number) {
    return this.byId.get(id) ?? null;
  }
  async audit(id: number) {
    return this.log.get(id) ?? [];
  }
  alertView(i: Incident): AlertView {
    return {
      incidentId: i.id, cause: i.cause, severity: i.severity, state: i.state,
      title: `Password error: ${i.unique}`, summary: `${i.count} failed attempts`, fields: [{ label: 'Unique', value: i.unique ?? '' }],
      tips: i.tips, stateLine: i.state === 'open' ? null : `${i.state}`, actions: i.state === 'resolved' ? ['history'] : ['ack', 'resolve', 'snooze', 'history'],
      mentions: [], labels: { ack: 'Ack', resolve: 'Resolve', snooze: 'Snooze', history: 'History', tips: 'Tips', snoozeChoices: ['30m', '1h', '4h', '24h'] },
    };
  }
}

export const fakeOncall = (): OncallPort & { overrides: unknown[] } => {
  const overrides: unknown[] = [];
  return {
    overrides,
    async describe() {
      return {
        schedules: [{ schedule: 'Support', layers: [
          { layer: 'Primary', person: 'Sato', until: new Date(NOW.getTime() + 3 * 3600_000), override: false },
          { layer: 'Secondary', person: 'Suzuki', until: null, override: true },
        ] }],
        nextHandoff: { at: new Date(NOW.getTime() + 3 * 3600_000), schedule: 'Support', from: 'Sato', to: 'Tanaka' },
        policies: [{ name: 'Default', steps: ['Notify #support', 'Wait 5 min', 'Mention the on-call person'] }],
      };
    },
    async override(person: string, minutes: number, actor: Actor) {
      overrides.push({ person, minutes, actor });
      if (person === 'nobody') return { ok: false as const, reason: 'person_not_found' as const, candidates: [] };
      if (person === 'ta') return { ok: false as const, reason: 'ambiguous_person' as const, candidates: ['Tanaka', 'Takahashi'] };
      return { ok: true as const, person: 'Tanaka', schedule: 'Support', startsAt: NOW, endsAt: new Date(NOW.getTime() + minutes * 60_000) };
    },
  };
};

export interface ServiceOptions {
  locale: Locale;
  external?: FakeExternal;
  incidents?: IncidentPort;
  oncall?: OncallPort;
  errors?: unknown[];
  deadlineMs?: number;
  isUnavailable?: (err: unknown) => boolean;
  retention?: { eventDays: number; refreshDays: number };
  live?: LiveRegistrations;
}

export function buildService(repos: Repos, o: ServiceOptions): CommandService {
  const time = createTimeFormatter(o.locale, 'Asia/Tokyo');
  const queries = new LineQueries({
    ...repos, clock, locale: o.locale, minExpires: 60, servedLoginServers: new Set([SERVED]),
    ...(o.external ? { external: o.external } : {}), formatTime: (at) => time.dateTime(at),
  });
  return new CommandService({
    queries, uniques: repos.uniques, circles: repos.circles, events: repos.events, incidents: o.incidents, oncall: o.oncall,
    scope: { allowedAccounts: (_platform, channel) => (channel === 'C-acme' ? new Set(['acme']) : 'all') },
    clock, locale: o.locale, timeZone: 'Asia/Tokyo',
    logger: { error: (obj) => o.errors?.push(obj) },
    deadlineMs: o.deadlineMs, isUnavailable: o.isUnavailable, retention: o.retention, live: o.live,
  });
}
