/**
 * Remediation tips per cause, in LOCALE: the portal guide's facts (reused from the status module)
 * plus what only the event history shows (the "signature" tips).
 */
import { statusMessages, translate, unknownUniqueTips, type Locale, type TimeFormatter, type Unique } from '../domain/index.js';
import type { EngineThresholds } from './engine-options.js';
import { medianInterval, type LineState } from './line-state.js';
import { alertMessages as m } from './messages.js';

export interface TipContext {
  readonly locale: Locale;
  readonly time: TimeFormatter;
  readonly minExpires: number;
  readonly thresholds: EngineThresholds;
}

export class TipWriter {
  constructor(private readonly c: TipContext) {}

  private t(text: { ja: string; en: string }, params: Record<string, string | number> = {}): string {
    return translate(text, this.c.locale, params);
  }

  /** Not registered: internet first, then unique number and login server; then signature tips. */
  deregistered(line: LineState, unique: Unique | null): string[] {
    return [...this.signature(line), ...this.checkPhone(line.unique, unique)];
  }

  passwordError(line: LineState, unique: Unique | null, failure: { at: Date; ip: string; userAgent: string | null }, now: Date): string[] {
    const tips: string[] = [];
    const changedAt = unique?.passwordChangedAt ?? null;
    const lastGood = line.lastGood;
    if (changedAt && failure.at > changedAt && lastGood && lastGood.at < changedAt.getTime()) {
      tips.push(translate(statusMessages.tipOldPasswordAfterChange, this.c.locale, { changedAt: this.c.time.dateTime(changedAt) }));
    } else {
      tips.push(translate(statusMessages.tipWrongPassword, this.c.locale));
    }
    tips.push(translate(statusMessages.tipOverwritePassword, this.c.locale, { unique: line.unique }));
    if (lastGood && lastGood.ip === failure.ip && lastGood.userAgent === failure.userAgent) tips.push(this.t(m.tipSameDeviceFailing));
    else if (lastGood && lastGood.ip !== failure.ip) tips.push(this.t(m.tipSourceChanged, { before: lastGood.ip, now: failure.ip }));
    tips.push(...this.neverRegistered(line, unique, now));
    return tips;
  }

  unknownUnique(number: string): string[] {
    return [...unknownUniqueTips(number, { locale: this.c.locale }), this.t(m.tipUnknownUniqueRepeat)];
  }

  atRisk(line: LineState, unique: Unique | null): string[] {
    const expiresAt = line.expiresAt !== null ? this.c.time.dateTime(new Date(line.expiresAt)) : '?';
    return [this.t(m.tipAtRisk, { expiresAt }), ...this.natTip(line), ...this.checkPhone(line.unique, unique).slice(0, 1)];
  }

  flapping(line: LineState): string[] {
    return [this.t(m.tipFlapping), ...this.natTip(line), ...this.sourceChanged(line)];
  }

  siteDown(): string[] {
    return [this.t(m.tipSiteDown), translate(statusMessages.tipCheckInternet, this.c.locale)];
  }

  security(source: string): string[] {
    return [this.t(m.tipSecurity, { source })];
  }

  /** Tips only the history gives: NAT timeout, 423, source change. */
  private signature(line: LineState): string[] {
    const tips = [...this.natTip(line), ...this.sourceChanged(line)];
    if (line.lastIntervalTooBrief && (!line.lastGood || line.lastIntervalTooBrief.at >= line.lastGood.at)) {
      tips.push(translate(statusMessages.tipIntervalTooBrief, this.c.locale, { min: this.c.minExpires }));
    }
    return tips;
  }

  private natTip(line: LineState): string[] {
    const good = line.lastGood;
    if (!good || good.transport !== 'udp') return [];
    const interval = observedInterval(line);
    if (interval === null || interval <= this.c.thresholds.natUdpTimeoutSeconds) return [];
    return [this.t(m.tipUdpNatTimeout, { interval, nat: this.c.thresholds.natUdpTimeoutSeconds })];
  }

  private sourceChanged(line: LineState): string[] {
    const { lastGood, previousGood } = line;
    if (!lastGood || !previousGood || lastGood.ip === previousGood.ip) return [];
    return [this.t(m.tipSourceChanged, { before: previousGood.ip, now: lastGood.ip })];
  }

  private neverRegistered(line: LineState, unique: Unique | null, now: Date): string[] {
    if (line.lastGood || !unique) return [];
    const hours = Math.floor((now.getTime() - unique.createdAt.getTime()) / 3_600_000);
    if (hours < this.c.thresholds.neverRegisteredHours) return [];
    return [this.t(m.tipNeverRegisteredSince, { since: this.c.time.dateTime(unique.createdAt), hours })];
  }

  private checkPhone(number: string, unique: Unique | null): string[] {
    return [
      translate(statusMessages.tipCheckInternet, this.c.locale),
      translate(statusMessages.tipCheckSettings, this.c.locale, { unique: number, loginServer: unique?.loginServer ?? '?' }),
    ];
  }
}

/** Refresh interval the phone uses: learned from the history, else the granted expiry. */
export function observedInterval(line: LineState): number | null {
  if (line.intervals.length > 0) return medianInterval(line.intervals);
  return line.lastGood?.grantedExpires ?? null;
}
