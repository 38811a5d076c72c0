/**
 * Localized notes for escalation actions, and the incident/person shapes the notifier takes.
 */
import type { AlertNote, Incident, Mention } from '../alerts/index.js';
import { createTimeFormatter, translatorFor, type Locale, type TimeFormatter, type Translator } from '../domain/index.js';
import type { IncidentSnapshot } from './escalation-chain.js';
import { oncallMessages as m } from './messages.js';
import type { OncallPerson } from './ports.js';

export const toMention = (p: OncallPerson): Mention => ({
  name: p.name,
  ...(p.slackUserId ? { slackUserId: p.slackUserId } : {}),
  ...(p.discordUserId ? { discordUserId: p.discordUserId } : {}),
});

/** An `Incident` rebuilt from the snapshot, for when the alert engine's copy is not at hand. */
export function incidentFromSnapshot(s: IncidentSnapshot): Incident {
  const opened = new Date(s.openedAt);
  return {
    id: s.id,
    cause: s.cause,
    severity: s.severity,
    state: 'open',
    unique: s.unique,
    circle: s.circle,
    accountLoginId: s.accountLoginId,
    scopeKey: s.unique ?? s.circle ?? String(s.id),
    openedAt: opened,
    updatedAt: opened,
    resolvedAt: null,
    snoozedUntil: null,
    count: 1,
    lastSeenAt: opened,
    lastSource: null,
    lastUserAgent: null,
    tips: [],
    parentId: null,
    detail: {},
    acknowledgedBy: null,
    resolvedBy: null,
  };
}

export class NoteBuilder {
  private readonly t: Translator;
  private readonly time: TimeFormatter;

  constructor(locale: Locale, displayTimeZone: string) {
    this.t = translatorFor(locale);
    this.time = createTimeFormatter(locale, displayTimeZone);
  }

  private params(i: IncidentSnapshot) {
    return { id: i.id, cause: i.cause, scope: i.unique ?? i.circle ?? i.accountLoginId ?? this.t(m.noScope), opened: this.time.dateTime(new Date(i.openedAt)) };
  }

  private note(i: IncidentSnapshot, text: string, mentions: readonly Mention[] = []): AlertNote {
    return { incidentId: i.id, text, mentions };
  }

  channel(i: IncidentSnapshot): AlertNote {
    return this.note(i, this.t(m.notifyChannel, this.params(i)));
  }

  /** The first channel step, right after the alert was posted: says what runs, not "not acknowledged yet". */
  channelStart(i: IncidentSnapshot, policy: string): AlertNote {
    return this.note(i, this.t(m.notifyChannelStart, { ...this.params(i), policy }));
  }

  mention(i: IncidentSnapshot, people: readonly OncallPerson[], nextLayer: boolean): AlertNote {
    const names = people.map((p) => p.name).join(', ');
    return this.note(i, this.t(nextLayer ? m.mentionNextLayer : m.mention, { ...this.params(i), names }), people.map(toMention));
  }

  direct(i: IncidentSnapshot, person: OncallPerson): AlertNote {
    return this.note(i, this.t(m.directMessage, this.params(i)), [toMention(person)]);
  }

  nobody(i: IncidentSnapshot, schedule: string): AlertNote {
    return this.note(i, this.t(m.nobodyOnCall, { schedule }));
  }

  reminder(i: IncidentSnapshot, people: readonly OncallPerson[]): AlertNote {
    return this.note(i, this.t(m.reminder, this.params(i)), people.map(toMention));
  }

  pageSummary(i: IncidentSnapshot): string {
    return this.t(m.pageSummary, this.params(i));
  }
}
