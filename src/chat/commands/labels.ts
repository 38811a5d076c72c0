/**
 * Formatting shared by the reply builders: one locale, one display timezone, one "now" per command,
 * so every time in a reply is formatted the same way.
 */
import {
  createTimeFormatter,
  translate,
  type LineStatus,
  type Locale,
  type LocalizedText,
  type TimeFormatter,
} from '../../domain/index.js';
import type { Actor } from '../../alerts/index.js';
import type { ReplyLabels } from './chat-reply.js';
import { chatMessages as m } from './messages.js';

/** Status marks as the portal shows them. */
export const STATUS_MARKS: Readonly<Record<LineStatus, string>> = {
  registered: '●',
  not_registered: '×',
  unsupported: '－',
  unknown: '?',
};

const FIELD_KEYS = {
  status: m.fieldStatus,
  unique: m.fieldUnique,
  circle: m.fieldCircle,
  type: m.fieldType,
  loginServer: m.fieldLoginServer,
  lastRegister: m.fieldLastRegister,
  external: m.fieldExternal,
  contact: m.fieldContact,
  source: m.fieldSource,
  transport: m.fieldTransport,
  userAgent: m.fieldUserAgent,
  expires: m.fieldExpires,
  registeredAt: m.fieldRegisteredAt,
  bindings: m.fieldBindings,
  lastError: m.fieldLastError,
  errorAt: m.fieldErrorAt,
  cause: m.fieldCause,
  method: m.fieldMethod,
  tips: m.fieldTips,
  openIncidents: m.fieldOpenIncidents,
  events: m.fieldEvents,
  audit: m.fieldAudit,
  account: m.fieldAccount,
  userInfo: m.fieldUserInfo,
  department: m.fieldDepartment,
  contactPerson: m.fieldContactPerson,
  circleState: m.fieldCircleState,
  appliedOn: m.fieldAppliedOn,
  lines: m.fieldLines,
  typeFilter: m.fieldTypeFilter,
  page: m.fieldPage,
  lastResponse: m.fieldLastResponse,
  expiry: m.fieldExpiry,
  refreshInterval: m.fieldRefreshInterval,
  nextRefresh: m.fieldNextRefresh,
  nonce: m.fieldNonce,
  flaps: m.fieldFlaps,
  schedule: m.fieldSchedule,
  nextHandoff: m.fieldNextHandoff,
  policy: m.fieldPolicy,
} satisfies Record<string, LocalizedText>;

export type FieldKey = keyof typeof FIELD_KEYS;

/** Formatting context of one command execution. */
export class ReplyFormat {
  readonly time: TimeFormatter;

  constructor(
    readonly locale: Locale,
    timeZone: string,
    readonly now: Date,
  ) {
    this.time = createTimeFormatter(locale, timeZone);
  }

  t(text: LocalizedText, params: Readonly<Record<string, string | number>> = {}): string {
    return translate(text, this.locale, params);
  }

  field(key: FieldKey): string {
    return this.t(FIELD_KEYS[key]);
  }

  statusName(status: LineStatus): string {
    switch (status) {
      case 'registered':
        return this.t(m.statusRegistered);
      case 'not_registered':
        return this.t(m.statusNotRegistered);
      case 'unsupported':
        return this.t(m.statusUnsupported);
      case 'unknown':
        return this.t(m.statusUnknown);
      default: {
        const never: never = status;
        return never;
      }
    }
  }

  labels(title: string): ReplyLabels {
    const fields: Record<string, string> = {};
    for (const key of Object.keys(FIELD_KEYS) as FieldKey[]) fields[key] = this.field(key);
    return {
      title,
      fields,
      status: {
        registered: this.statusName('registered'),
        not_registered: this.statusName('not_registered'),
        unsupported: this.statusName('unsupported'),
        unknown: this.statusName('unknown'),
      },
      postToChannel: this.t(m.postToChannel),
    };
  }

  dateTime(at: Date): string {
    return this.time.dateTime(at);
  }

  /** `2026/11/26 17:38:05 JST（3分前）` */
  withRelative(at: Date): string {
    return this.t(m.timeWithRelative, { time: this.time.dateTime(at), relative: this.time.relative(at, this.now) });
  }

  /** A duration in seconds, readable: `45 s`, `10 min`, `2 h 5 min`, `3 d`. */
  duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    if (s < 120) return this.t(m.seconds, { n: s });
    if (s < 7200) return this.t(m.minutes, { n: Math.round(s / 60) });
    if (s < 172_800) return this.t(m.hoursMinutes, { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
    return this.t(m.days, { n: Math.floor(s / 86_400) });
  }

  actorName(actor: Actor): string {
    return actor.name ?? actor.id ?? (actor.source === 'system' ? this.t(m.actorSystem) : actor.source);
  }
}
