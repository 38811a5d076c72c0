/**
 * Incident → platform-neutral `AlertView` (and thread notes), localized in LOCALE with times in
 * DISPLAY_TZ. Pure: the outbox calls it at delivery time so an edit always shows the current state.
 */
import { createTimeFormatter, translate, type Locale, type LocalizedText, type TimeFormatter } from '../domain/index.js';
import type { AlertActionId, AlertField, AlertLabels, AlertNote, AlertView, Mention } from './alert-view.js';
import { SNOOZE_CHOICES_MINUTES } from './alert-view.js';
import type { Actor, Incident, IncidentCause } from './incident.js';
import { alertMessages as m } from './messages.js';

export interface AlertViewBuilderOptions {
  readonly locale: Locale;
  readonly timeZone: string;
}

export class AlertViewBuilder {
  readonly locale: Locale;
  readonly time: TimeFormatter;

  constructor(o: AlertViewBuilderOptions) {
    this.locale = o.locale;
    this.time = createTimeFormatter(o.locale, o.timeZone);
  }

  t(text: LocalizedText, params: Record<string, string | number> = {}): string {
    return translate(text, this.locale, params);
  }

  /** The scope as people read it: unique number, "circle 123", "lines behind 203.0.113.7". */
  scope(incident: Pick<Incident, 'unique' | 'circle' | 'scopeKey' | 'cause'>): string {
    if (incident.unique) return incident.unique;
    const [kind, value] = splitScope(incident.scopeKey);
    if (kind === 'circle') return this.t(m.scopeCircle, { circle: value });
    if (kind === 'ip') return this.t(m.scopeIp, { ip: value });
    return value;
  }

  title(incident: Incident): string {
    const base = this.t(m[`title_${incident.cause}` as const], { scope: this.scope(incident) });
    return incident.unique && incident.circle ? base + this.t(m.circleSuffix, { circle: incident.circle }) : base;
  }

  build(incident: Incident, mentions: readonly Mention[] = []): AlertView {
    return {
      incidentId: incident.id,
      cause: incident.cause,
      severity: incident.severity,
      state: incident.state,
      title: this.title(incident),
      summary: this.summary(incident),
      fields: this.fields(incident),
      tips: incident.tips,
      stateLine: this.stateLine(incident),
      actions: actionsFor(incident),
      mentions,
      labels: this.labels(),
    };
  }

  summary(incident: Incident): string {
    const d = incident.detail;
    const num = (k: string, fallback = 0) => (typeof d[k] === 'number' ? (d[k] as number) : fallback);
    const str = (k: string, fallback = '') => (typeof d[k] === 'string' ? (d[k] as string) : fallback);
    const cause: IncidentCause = incident.cause;
    switch (cause) {
      case 'deregistered':
        return this.t(m.summary_deregistered, { grace: num('graceSeconds', 30) });
      case 'password_error':
        return this.t(m.summary_password_error, { method: str('method', 'REGISTER'), count: incident.count });
      case 'unknown_unique':
        return this.t(m.summary_unknown_unique, { scope: this.scope(incident), count: incident.count });
      case 'at_risk': {
        const expires = str('expiresAt');
        return this.t(m.summary_at_risk, {
          interval: num('intervalSeconds'),
          late: num('lateSeconds'),
          expiresAt: expires ? this.time.dateTime(new Date(expires)) : '?',
        });
      }
      case 'flapping':
        return this.t(m.summary_flapping, { drops: incident.count, window: Math.round(num('windowSeconds', 1800) / 60) });
      case 'site_down':
        return this.t(m.summary_site_down, { down: num('down', incident.count), total: num('total', incident.count), window: num('windowSeconds', 60) });
      case 'security':
        return this.t(m.summary_security, { source: incident.lastSource ?? '?', what: this.securityWhat(incident) });
      default: {
        const never: never = cause;
        return String(never);
      }
    }
  }

  private securityWhat(incident: Incident): string {
    const d = incident.detail;
    if (d.kind === 'scanner') return this.t(m.securityScanner, { ua: incident.lastUserAgent ?? '?' });
    if (d.kind === 'blocked') return this.t(m.securityBlocked, { reason: String(d.reason ?? '?') });
    return this.t(m.securityManyUniques, { count: typeof d.distinctUniques === 'number' ? d.distinctUniques : incident.count });
  }

  fields(incident: Incident): AlertField[] {
    const f: AlertField[] = [{ label: this.t(m.fieldIncident), value: `#${incident.id}` }];
    if (incident.unique) f.push({ label: this.t(m.fieldUnique), value: incident.unique });
    if (incident.circle) f.push({ label: this.t(m.fieldCircle), value: incident.circle });
    if (incident.accountLoginId) f.push({ label: this.t(m.fieldAccount), value: incident.accountLoginId });
    f.push({ label: this.t(m.fieldSeverity), value: this.t(m[`severity_${incident.severity}` as const]) });
    f.push({ label: this.t(m.fieldOpenedAt), value: this.time.dateTime(incident.openedAt) });
    if (incident.count > 1) {
      f.push({ label: this.t(m.fieldCount), value: String(incident.count) });
      f.push({ label: this.t(m.fieldLastSeen), value: this.time.dateTime(incident.lastSeenAt) });
    }
    if (incident.lastSource) f.push({ label: this.t(m.fieldSource), value: incident.lastSource });
    if (incident.lastUserAgent) f.push({ label: this.t(m.fieldUserAgent), value: incident.lastUserAgent });
    return f;
  }

  stateLine(incident: Incident): string | null {
    if (incident.parentId !== null && incident.state !== 'resolved') return this.t(m.stateFolded, { parent: incident.parentId });
    switch (incident.state) {
      case 'open':
        return null;
      case 'acknowledged':
        return this.t(m.stateAcknowledged, { who: this.who(incident.acknowledgedBy), at: this.time.dateTime(incident.acknowledgedAt ?? incident.updatedAt) });
      case 'snoozed':
        return this.t(m.stateSnoozed, { until: incident.snoozedUntil ? this.time.dateTime(incident.snoozedUntil) : '?' });
      case 'resolved': {
        const at = this.time.dateTime(incident.resolvedAt ?? incident.updatedAt);
        if (!incident.resolvedBy || incident.resolvedBy.source === 'system') return this.t(m.stateRecovered, { at });
        return this.t(m.stateResolved, { who: this.who(incident.resolvedBy), at });
      }
    }
  }

  who(actor: Actor | null): string {
    if (!actor) return this.t(m.someone);
    if (actor.source === 'system') return this.t(m.systemName);
    return actor.name ?? actor.id ?? this.t(m.someone);
  }

  labels(): AlertLabels {
    return {
      ack: this.t(m.labelAck),
      resolve: this.t(m.labelResolve),
      snooze: this.t(m.labelSnooze),
      history: this.t(m.labelHistory),
      tips: this.t(m.labelTips),
      snoozeChoices: SNOOZE_CHOICES_MINUTES.map((n) => (n < 60 ? this.t(m.snoozeMinutes, { n }) : this.t(m.snoozeHours, { n: n / 60 }))),
    };
  }

  // --- notes --------------------------------------------------------------------------------

  note(incident: Incident, text: string, mentions: readonly Mention[] = []): AlertNote {
    return { incidentId: incident.id, text, mentions };
  }

  repeatNote(incident: Incident): AlertNote {
    return this.note(incident, this.t(m.noteRepeated, { count: incident.count, at: this.time.dateTime(incident.lastSeenAt), source: incident.lastSource ?? '?' }));
  }

  recoveryNote(incident: Incident): AlertNote {
    return this.note(incident, this.t(m.noteRecovered, { at: this.time.dateTime(incident.resolvedAt ?? incident.updatedAt) }));
  }

  acknowledgedNote(incident: Incident, actor: Actor): AlertNote {
    return this.note(incident, this.t(m.noteAcknowledged, { who: this.who(actor) }));
  }

  snoozedNote(incident: Incident, actor: Actor, until: Date): AlertNote {
    return this.note(incident, this.t(m.noteSnoozed, { who: this.who(actor), until: this.time.dateTime(until) }));
  }

  unsnoozedNote(incident: Incident): AlertNote {
    return this.note(incident, this.t(m.noteUnsnoozed));
  }

  resolvedNote(incident: Incident, actor: Actor): AlertNote {
    return this.note(incident, this.t(m.noteResolved, { who: this.who(actor) }));
  }

  foldedNote(incident: Incident): AlertNote {
    return this.note(incident, this.t(m.noteFolded, { parent: incident.parentId ?? '?' }));
  }

  escalationNote(incident: Incident, step: string, mentions: readonly Mention[] = []): AlertNote {
    return this.note(incident, this.t(m.noteEscalated, { step }), mentions);
  }
}

export function actionsFor(incident: Pick<Incident, 'state'>): AlertActionId[] {
  switch (incident.state) {
    case 'open':
      return ['ack', 'resolve', 'snooze', 'history'];
    case 'acknowledged':
      return ['resolve', 'snooze', 'history'];
    case 'snoozed':
      return ['ack', 'resolve', 'history'];
    case 'resolved':
      return ['history'];
  }
}

/** Scope keys look like `unique:0000000773`, `circle:123456789`, `ip:203.0.113.7`. */
export function splitScope(scopeKey: string): [string, string] {
  const i = scopeKey.indexOf(':');
  return i < 0 ? ['', scopeKey] : [scopeKey.slice(0, i), scopeKey.slice(i + 1)];
}
