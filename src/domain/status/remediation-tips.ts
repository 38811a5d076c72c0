import { translate } from '../i18n/index.js';
import type { StoredRegistrationEvent } from '../registration/registration-event.js';
import { statusMessages as m } from './messages.js';
import type { LineFacts, LineStatus, StatusContext } from './status-document.js';

/** The localized one-line cause of an error event (the portal's "latest error information"). */
export function describeError(event: StoredRegistrationEvent, ctx: Pick<StatusContext, 'locale' | 'minExpires'>): string {
  const params = {
    method: event.method,
    unique: event.unique,
    source: event.source,
    min: ctx.minExpires,
    requested: event.requestedExpires ?? '?',
    reason: String(event.detail.reason ?? event.responseCode ?? ''),
  };
  switch (event.type) {
    case 'auth_failed':
      return translate(m.errorAuthFailed, ctx.locale, params);
    case 'unknown_unique':
      return translate(m.errorUnknownUnique, ctx.locale, params);
    case 'interval_too_brief':
      return translate(m.errorIntervalTooBrief, ctx.locale, params);
    case 'blocked':
      return translate(m.errorBlocked, ctx.locale, params);
    default:
      return translate(m.errorRejected, ctx.locale, params);
  }
}

/** An error is current when no successful REGISTER came after it. */
function currentError(facts: LineFacts): StoredRegistrationEvent | null {
  const err = facts.lastError;
  if (!err) return null;
  if (facts.lastRegister && facts.lastRegister.id > err.id) return null;
  return err;
}

/**
 * Remediation for the support agent to read to the customer: the portal guide's facts first
 * (internet connection, then unique number and login server; wrong password, then overwrite),
 * then what only the event history can tell.
 */
export function remediationTips(facts: LineFacts, status: LineStatus, ctx: StatusContext): string[] {
  const t = (text: (typeof m)[keyof typeof m], params: Record<string, string | number> = {}) =>
    translate(text, ctx.locale, { unique: facts.unique.number, loginServer: facts.unique.loginServer, min: ctx.minExpires, ...params });
  const tips: string[] = [];
  if (status === 'unsupported') return [t(m.tipUnsupported)];
  if (status === 'unknown') return [t(m.tipUnknown)];
  const err = currentError(facts);
  if (err?.type === 'auth_failed') {
    const changedAt = facts.unique.passwordChangedAt;
    if (changedAt && err.at > changedAt && facts.lastRegister && facts.lastRegister.at < changedAt) {
      tips.push(t(m.tipOldPasswordAfterChange, { changedAt: ctx.formatTime(changedAt) }));
    } else {
      tips.push(t(m.tipWrongPassword));
    }
    tips.push(t(m.tipOverwritePassword));
  } else if (err?.type === 'interval_too_brief') {
    tips.push(t(m.tipIntervalTooBrief));
  }
  if (status === 'not_registered') {
    if (!facts.lastRegister && !err) tips.push(t(m.tipNeverRegistered));
    tips.push(t(m.tipCheckInternet), t(m.tipCheckSettings));
  }
  return tips;
}

/** Tips for a phone that keeps trying a number that is not provisioned. */
export function unknownUniqueTips(unique: string, ctx: Pick<StatusContext, 'locale'>): string[] {
  return [translate(m.tipUnknownUnique, ctx.locale, { unique })];
}
