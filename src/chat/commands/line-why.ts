/**
 * `/line why`: one answer to "why is this line (not) registered?", from the status and the event
 * history: last REGISTER, last response sent, requested vs granted expiry, learned refresh
 * interval and next expected refresh, nonce state, device, recent flaps, open incidents, tips.
 */
import type { StoredRegistrationEvent } from '../../domain/index.js';
import type { DisplayField, LineStatusReply, LineWhyReply } from './chat-reply.js';
import { ReplyFormat } from './labels.js';
import { chatMessages as m } from './messages.js';

/** Three drops in 24 h make a line "flapping" in this answer (the alert engine has its own rule). */
const FLAP_WARNING_EXPIRIES = 3;
const DAY_MS = 86_400_000;

export interface WhyFacts {
  readonly status: LineStatusReply;
  readonly lastRegister: StoredRegistrationEvent | null;
  /** The newest two `registered`/`refreshed` events, newest first. */
  readonly lastAccepted: readonly StoredRegistrationEvent[];
  /** Newest event that recorded the response we sent. */
  readonly lastResponse: StoredRegistrationEvent | null;
  readonly lastStaleNonce: StoredRegistrationEvent | null;
  /** `expired` and `registered` events, newest first (bounded by the caller). */
  readonly flapEvents: readonly StoredRegistrationEvent[];
}

/**
 * The refresh interval the phone actually uses: the gap between its last two accepted REGISTERs,
 * unless the binding lapsed in between (gap longer than the expiry granted then).
 */
export function learnedRefreshSeconds(lastAccepted: readonly StoredRegistrationEvent[]): number | null {
  const [newest, previous] = lastAccepted;
  if (!newest || !previous) return null;
  const gap = (newest.at.getTime() - previous.at.getTime()) / 1000;
  if (gap <= 0) return null;
  if (previous.grantedExpires !== null && gap > previous.grantedExpires) return null;
  return gap;
}

export function buildLineWhyReply(facts: WhyFacts, f: ReplyFormat): LineWhyReply {
  const { status } = facts;
  const unique = status.document.unique;
  const fields: DisplayField[] = [status.fields[0]!];
  const push = (key: Parameters<ReplyFormat['field']>[0], value: string) => fields.push({ label: f.field(key), value });
  const last = facts.lastRegister;
  const lastRegisterField = status.fields.find((x) => x.label === f.field('lastRegister'));
  if (lastRegisterField) fields.push(lastRegisterField);
  const external = status.fields.find((x) => x.label === f.field('external'));
  if (external) fields.push(external);

  const r = facts.lastResponse;
  push('lastResponse', r && r.responseCode !== null ? f.t(m.lastResponseValue, { code: r.responseCode, method: r.method, time: f.withRelative(r.at) }) : f.t(m.none));

  if (last && last.grantedExpires !== null) {
    push('expiry', f.t(m.expiryValue, {
      requested: last.requestedExpires !== null ? f.duration(last.requestedExpires) : f.t(m.expiryNotRequested),
      granted: f.duration(last.grantedExpires),
    }));
  }

  const interval = learnedRefreshSeconds(facts.lastAccepted);
  push('refreshInterval', interval !== null ? f.t(m.refreshLearned, { interval: f.duration(interval) }) : f.t(m.refreshNotLearned));
  const newestAccepted = facts.lastAccepted[0];
  if (newestAccepted && (interval !== null || newestAccepted.grantedExpires !== null)) {
    const next = new Date(newestAccepted.at.getTime() + (interval ?? newestAccepted.grantedExpires ?? 0) * 1000);
    const overdue = next.getTime() < f.now.getTime();
    push('nextRefresh', overdue ? f.t(m.nextRefreshOverdue, { time: f.dateTime(next), relative: f.time.relative(next, f.now) }) : f.withRelative(next));
  }

  push('nonce', facts.lastStaleNonce ? f.t(m.nonceStale, { time: f.withRelative(facts.lastStaleNonce.at) }) : f.t(m.nonceNone));

  const device = last ?? newestAccepted ?? null;
  if (device) {
    push('source', f.t(m.sourceValue, { source: device.source, transport: device.transport.toUpperCase(), userAgent: device.userAgent ?? '' }).trim());
  }

  const since = f.now.getTime() - DAY_MS;
  const recent = facts.flapEvents.filter((e) => e.at.getTime() >= since);
  const expired = recent.filter((e) => e.type === 'expired').length;
  const registered = recent.filter((e) => e.type === 'registered').length;
  const flaps = f.t(m.flapsValue, { expired, registered });
  push('flaps', expired >= FLAP_WARNING_EXPIRIES ? f.t(m.flapsWarning, { value: flaps }) : flaps);

  if (status.lastError) {
    const cause = status.lastError.find((x) => x.label === f.field('cause'));
    const at = status.lastError.find((x) => x.label === f.field('errorAt'));
    if (cause && at) push('lastError', `${at.value} ${cause.value}`);
  }
  push(
    'openIncidents',
    status.openIncidents.length === 0 ? f.t(m.none) : status.openIncidents.map((i) => f.t(m.incidentLine, { id: i.id, title: i.title })).join(' / '),
  );
  return {
    kind: 'line_why',
    unique,
    labels: f.labels(f.t(m.titleWhy, { unique })),
    headline: status.headline,
    fields,
    tips: status.document.tips,
  };
}
