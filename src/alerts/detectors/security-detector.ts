/**
 * Attempts that are not a customer's phone: numbers that do not exist tried again and again
 * (`unknown_unique`), one source trying many lines, a scanner's User-Agent, a blocked source
 * (`security`). Counts in sliding windows, bounded in keys; raises through the engine's `raise`.
 */
import type { StoredRegistrationEvent } from '../../domain/index.js';
import type { EngineThresholds } from '../engine-options.js';
import type { Incident } from '../incident.js';
import { ipOf } from '../line-state.js';
import type { NewIncident } from '../ports.js';
import type { TipWriter } from '../tips.js';
import { WindowCounter } from './window-counter.js';

export type SecurityKind = 'many_uniques' | 'scanner' | 'blocked';

export class SecurityDetector {
  private readonly unknownAttempts: WindowCounter;
  private readonly sourceTargets: WindowCounter;

  constructor(
    private readonly thresholds: EngineThresholds,
    private readonly tips: TipWriter,
    private readonly raise: (incident: NewIncident) => Promise<Incident>,
  ) {
    this.unknownAttempts = new WindowCounter(thresholds.unknownUniqueWindowSeconds * 1000, thresholds.maxTrackedKeys);
    this.sourceTargets = new WindowCounter(thresholds.securityWindowSeconds * 1000, thresholds.maxTrackedKeys);
  }

  /** A REGISTER or INVITE for a number that is not provisioned. */
  async unknownUnique(e: StoredRegistrationEvent): Promise<void> {
    const attempts = this.unknownAttempts.hit(e.unique, e.at.getTime());
    await this.sourceTried(e);
    const threshold = this.thresholds.unknownUniqueThreshold;
    if (attempts < threshold) return;
    await this.raise({
      cause: 'unknown_unique',
      severity: 'warning',
      unique: null,
      circle: null,
      accountLoginId: null,
      scopeKey: `number:${e.unique}`,
      at: e.at,
      source: e.source,
      userAgent: e.userAgent,
      tips: this.tips.unknownUnique(e.unique),
      parentId: null,
      detail: { number: e.unique, method: e.method },
      eventId: e.id,
      occurrences: attempts === threshold ? attempts : 1,
    });
  }

  /** A source tried the event's line: raises once it tried `securityDistinctUniques` lines within the window. */
  async sourceTried(e: StoredRegistrationEvent): Promise<void> {
    const distinct = this.sourceTargets.addDistinct(ipOf(e.source), e.unique, e.at.getTime());
    if (distinct >= this.thresholds.securityDistinctUniques) await this.suspicious(e, 'many_uniques', distinct);
  }

  /** Raises (or counts on) the source's open `security` incident. */
  async suspicious(e: StoredRegistrationEvent, kind: SecurityKind, distinct?: number): Promise<void> {
    const ip = ipOf(e.source);
    await this.raise({
      cause: 'security',
      severity: 'critical',
      unique: null,
      circle: null,
      accountLoginId: null,
      scopeKey: `ip:${ip}`,
      at: e.at,
      source: e.source,
      userAgent: e.userAgent,
      tips: this.tips.security(ip),
      parentId: null,
      detail: { kind, ...(distinct !== undefined ? { distinctUniques: distinct } : {}), ...(e.detail.reason !== undefined ? { reason: e.detail.reason } : {}) },
      eventId: e.id,
    });
  }
}
