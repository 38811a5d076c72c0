/**
 * View models of `/line status` and `/line history`.
 */
import {
  refreshKeptDays,
  statusMessages,
  type BindingView,
  type HistoryRetention,
  type RegistrationEventType,
  type StoredRegistrationEvent,
} from '../../domain/index.js';
import type { LineStatusResult } from '../../app/index.js';
import type { DisplayField, HistoryEntry, LineHistoryReply, LineStatusReply } from './chat-reply.js';
import type { IncidentAuditEntry } from './ports.js';
import { ReplyFormat, STATUS_MARKS } from './labels.js';
import { chatMessages as m } from './messages.js';
import { typeLabel } from './type-labels.js';

export interface OpenIncidentSummary {
  readonly id: number;
  readonly title: string;
}

const isLive = (b: BindingView, now: Date) => b.expiresAt.getTime() > now.getTime();

/** `SIP端末 (sip_terminal)` */
export function typeField(type: string, f: ReplyFormat): string {
  const label = typeLabel(type, f.locale);
  return label === type ? type : `${label} (${type})`;
}

export function bindingFields(b: BindingView, f: ReplyFormat): DisplayField[] {
  return [
    { label: f.field('contact'), value: b.contact },
    { label: f.field('source'), value: b.source },
    { label: f.field('transport'), value: b.transport.toUpperCase() },
    { label: f.field('userAgent'), value: b.userAgent ?? f.t(m.none) },
    { label: f.field('expires'), value: f.withRelative(b.expiresAt) },
    { label: f.field('registeredAt'), value: f.withRelative(b.registeredAt) },
  ];
}

function externalReason(reason: 'timeout' | 'unreachable' | 'error', f: ReplyFormat): string {
  return f.t(reason === 'timeout' ? m.externalTimeout : reason === 'unreachable' ? m.externalUnreachable : m.externalError);
}

export function buildLineStatusReply(result: LineStatusResult, openIncidents: readonly OpenIncidentSummary[], f: ReplyFormat): LineStatusReply {
  const { unique, facts, external } = result;
  let document = result.document;
  const server = unique.loginServer;
  const failed = external !== null && !external.ok ? external : null;
  let headline: string;
  if (failed) {
    headline = f.t(m.externalDidNotAnswer, { server, reason: externalReason(failed.reason, f) });
    document = { ...document, tips: [f.t(m.externalRetryTip, { server })] };
  } else {
    switch (document.status) {
      case 'registered':
        headline = f.t(statusMessages.registered);
        break;
      case 'not_registered':
        headline = f.t(statusMessages.notRegistered);
        break;
      case 'unsupported':
        headline = f.t(statusMessages.unsupported, { type: typeLabel(unique.type, f.locale) });
        break;
      case 'unknown':
        headline = f.t(statusMessages.unknown, { loginServer: server });
        break;
      default: {
        const never: never = document.status;
        throw new Error(`unhandled status ${String(never)}`);
      }
    }
  }
  const fields: DisplayField[] = [
    { label: f.field('status'), value: `${STATUS_MARKS[document.status]} ${f.statusName(document.status)}` },
    { label: f.field('circle'), value: unique.circleNumber },
    { label: f.field('type'), value: typeField(unique.type, f) },
    { label: f.field('loginServer'), value: server },
  ];
  if (document.status !== 'unsupported') {
    fields.push({
      label: f.field('lastRegister'),
      value: facts.lastRegister ? f.withRelative(facts.lastRegister.at) : f.t(statusMessages.neverRegistered),
    });
  }
  if (external !== null) {
    fields.push({
      label: f.field('external'),
      value: failed ? f.t(m.externalDidNotAnswer, { server, reason: externalReason(failed.reason, f) }) : f.t(m.externalAskedNow, { server }),
    });
  }
  const err = facts.lastError;
  const lastError: DisplayField[] | null =
    err && document.lastError
      ? [
          { label: f.field('errorAt'), value: f.withRelative(err.at) },
          { label: f.field('cause'), value: document.lastError.message },
          { label: f.field('method'), value: err.method },
          { label: f.field('source'), value: `${err.source}/${err.transport.toUpperCase()}` },
          { label: f.field('userAgent'), value: err.userAgent ?? f.t(m.none) },
        ]
      : null;
  return {
    kind: 'line_status',
    document,
    labels: f.labels(f.t(m.titleLine, { unique: unique.number })),
    headline,
    fields,
    bindings: facts.bindings.filter((b) => isLive(b, f.now)).map((b) => bindingFields(b, f)),
    lastError,
    queriedExternally: external !== null && external.ok,
    openIncidents,
  };
}

const EVENT_MARKS: Readonly<Record<RegistrationEventType, string>> = {
  registered: '●',
  refreshed: '↻',
  unregistered: '○',
  expired: '×',
  auth_failed: '⚠',
  unknown_unique: '?',
  stale_nonce: '·',
  interval_too_brief: '⚠',
  rejected: '✕',
  blocked: '⛔',
};

const EVENT_TEXTS = {
  registered: m.eventRegistered,
  refreshed: m.eventRefreshed,
  unregistered: m.eventUnregistered,
  expired: m.eventExpired,
  auth_failed: m.eventAuthFailed,
  unknown_unique: m.eventUnknownUnique,
  stale_nonce: m.eventStaleNonce,
  interval_too_brief: m.eventIntervalTooBrief,
  rejected: m.eventRejected,
  blocked: m.eventBlocked,
} satisfies Record<RegistrationEventType, unknown>;

export function historyEntry(e: StoredRegistrationEvent, f: ReplyFormat): HistoryEntry {
  const details = [f.t(m.detailFrom, { source: e.source, transport: e.transport.toUpperCase() })];
  if (e.userAgent) details.push(f.t(m.detailUserAgent, { userAgent: e.userAgent }));
  if (e.grantedExpires !== null) details.push(f.t(m.detailExpires, { granted: e.grantedExpires, requested: e.requestedExpires ?? '-' }));
  if (e.responseCode !== null) details.push(f.t(m.detailResponse, { code: e.responseCode }));
  return { at: f.dateTime(e.at), type: e.type, text: f.t(EVENT_TEXTS[e.type]), mark: EVENT_MARKS[e.type], details: details.join(' · ') };
}

/** One incident audit record as a history line. */
export function auditEntry(incidentId: number, a: IncidentAuditEntry, f: ReplyFormat): HistoryEntry {
  const actor = f.actorName(a.actor);
  const text =
    a.type === 'opened' ? f.t(m.auditOpened)
    : a.type === 'repeated' ? f.t(m.auditRepeated)
    : a.type === 'acknowledged' ? f.t(m.auditAcknowledged, { actor })
    : a.type === 'snoozed' ? f.t(m.auditSnoozed, { actor })
    : a.type === 'unsnoozed' ? f.t(m.auditUnsnoozed)
    : a.type === 'resolved' ? f.t(m.auditResolved, { actor })
    : a.type === 'escalated' ? f.t(m.auditEscalated)
    : f.t(m.auditOther, { type: a.type, actor });
  const details = [`#${incidentId}`, `${a.actor.source}`];
  if (a.reason) details.push(a.reason);
  return { at: f.dateTime(a.at), type: a.type, text, mark: '◆', details: details.join(' · ') };
}

/** What `/line history` says about how far back it goes; null when nothing is ever deleted. */
export function retentionNote(retention: HistoryRetention | undefined, f: ReplyFormat): string | null {
  if (!retention) return null;
  const events = retention.eventDays;
  const refresh = refreshKeptDays(retention);
  if (refresh === 0) return null;
  if (events === 0) return f.t(m.retentionRefreshOnly, { refresh });
  return refresh === events ? f.t(m.retentionAll, { events }) : f.t(m.retentionBoth, { refresh, events });
}

export function buildLineHistoryReply(
  unique: string,
  events: readonly StoredRegistrationEvent[],
  audit: readonly { readonly incidentId: number; readonly entry: IncidentAuditEntry }[],
  f: ReplyFormat,
  retention?: HistoryRetention,
): LineHistoryReply {
  const sortedAudit = [...audit].sort((a, b) => b.entry.at.getTime() - a.entry.at.getTime());
  return {
    kind: 'line_history',
    unique,
    labels: f.labels(f.t(m.titleHistory, { unique })),
    entries: events.map((e) => historyEntry(e, f)),
    audit: sortedAudit.map((a) => auditEntry(a.incidentId, a.entry, f)),
    retentionNote: retentionNote(retention, f),
  };
}
