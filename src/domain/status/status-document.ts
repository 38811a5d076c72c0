import type { Locale } from '../i18n/index.js';
import type { Unique } from '../unique/unique.js';
import { isStatusSupported } from '../unique/unique-type.js';
import type { BindingView } from '../registration/binding.js';
import type { EventMark, StoredRegistrationEvent } from '../registration/registration-event.js';
import { describeError, remediationTips } from './remediation-tips.js';

export type LineStatus = 'registered' | 'not_registered' | 'unsupported' | 'unknown';

export interface StatusBindingView {
  readonly contact: string;
  readonly source: string;
  readonly transport: string;
  readonly userAgent: string | null;
  readonly expiresAt: string;
  readonly registeredAt: string;
}

export interface StatusErrorView {
  readonly at: string;
  readonly kind: string;
  readonly method: string;
  readonly source: string;
  readonly userAgent: string | null;
  readonly message: string;
}

/** The status document of the contract: what `/line status`, the API and the CLI show. */
export interface StatusDocument {
  readonly unique: string;
  readonly circle: string;
  readonly type: string;
  readonly loginServer: string;
  readonly status: LineStatus;
  readonly bindings: readonly StatusBindingView[];
  readonly lastRegisterAt: string | null;
  readonly lastError: StatusErrorView | null;
  readonly tips: readonly string[];
}

/** Everything the status of one unique is derived from. */
export interface LineFacts {
  readonly unique: Unique;
  readonly bindings: readonly BindingView[];
  /** Latest accepted REGISTER (registered / refreshed / unregistered), if any. */
  readonly lastRegister: EventMark | null;
  /** Latest error event, if any. */
  readonly lastError: StoredRegistrationEvent | null;
  /** Whether this instance's registrar serves the unique's login server (live status). */
  readonly served: boolean;
  /** Last REGISTER time reported by an external login server asked just now, when newer than our events. */
  readonly externalLastRegisterAt?: Date | null;
}

export interface StatusContext {
  readonly locale: Locale;
  readonly now: Date;
  readonly minExpires: number;
  /** Formats a time for the tips text (display timezone); JSON fields stay ISO-8601 UTC. */
  readonly formatTime: (at: Date) => string;
}

function latestRegisterAt(facts: LineFacts): Date | null {
  const own = facts.lastRegister?.at ?? null;
  const external = facts.externalLastRegisterAt ?? null;
  if (!own) return external;
  if (!external) return own;
  return external > own ? external : own;
}

/** Decides the line status. Expired bindings the store has not yet removed do not count. */
export function lineStatus(facts: LineFacts, now: Date): LineStatus {
  if (!isStatusSupported(facts.unique.type)) return 'unsupported';
  if (!facts.served) return 'unknown';
  return facts.bindings.some((b) => b.expiresAt.getTime() > now.getTime()) ? 'registered' : 'not_registered';
}

/**
 * Builds the contract's status document.
 *
 * @remarks
 * A latest error older than the latest successful REGISTER is still shown (the portal shows the
 * "latest error information" regardless); tips only speak about errors that are still current.
 */
export function buildStatusDocument(facts: LineFacts, ctx: StatusContext): StatusDocument {
  const status = lineStatus(facts, ctx.now);
  const live = facts.bindings.filter((b) => b.expiresAt.getTime() > ctx.now.getTime());
  return {
    unique: facts.unique.number,
    circle: facts.unique.circleNumber,
    type: facts.unique.type,
    loginServer: facts.unique.loginServer,
    status,
    bindings: live.map((b) => ({
      contact: b.contact,
      source: b.source,
      transport: b.transport,
      userAgent: b.userAgent,
      expiresAt: b.expiresAt.toISOString(),
      registeredAt: b.registeredAt.toISOString(),
    })),
    lastRegisterAt: latestRegisterAt(facts)?.toISOString() ?? null,
    lastError: facts.lastError
      ? {
          at: facts.lastError.at.toISOString(),
          kind: facts.lastError.type,
          method: facts.lastError.method,
          source: facts.lastError.source,
          userAgent: facts.lastError.userAgent,
          message: describeError(facts.lastError, ctx),
        }
      : null,
    tips: remediationTips(facts, status, ctx),
  };
}
