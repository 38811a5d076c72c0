/**
 * The only place where errors become chat text: domain, alert and command-layer codes → a
 * localized `ErrorReply` with a `CHAT_ERR_*` code. Anything unrecognised is an internal error.
 */
import { DomainError, translate, type Locale, type LocalizedText } from '../../domain/index.js';
import type { ErrorReply } from './chat-reply.js';
import { ChatError, type ChatErrorCode } from './errors.js';
import { chatMessages as m } from './messages.js';

const TEXTS: Readonly<Record<Exclude<ChatErrorCode, 'CHAT_ERR_USAGE' | 'CHAT_ERR_UNKNOWN_COMMAND' | 'CHAT_ERR_UNKNOWN_TYPE'>, LocalizedText>> = {
  CHAT_ERR_UNIQUE_NOT_FOUND: m.uniqueNotFound,
  CHAT_ERR_CIRCLE_NOT_FOUND: m.circleNotFound,
  CHAT_ERR_INCIDENT_NOT_FOUND: m.incidentNotFound,
  CHAT_ERR_INCIDENT_RESOLVED: m.incidentResolved,
  CHAT_ERR_INVALID_SNOOZE: m.invalidSnooze,
  CHAT_ERR_ONCALL_NOT_CONFIGURED: m.oncallNotConfigured,
  CHAT_ERR_PERSON_NOT_FOUND: m.personNotFound,
  CHAT_ERR_INVALID_INPUT: m.invalidInput,
  CHAT_ERR_FORBIDDEN: m.forbidden,
  CHAT_ERR_UNAVAILABLE: m.unavailable,
  CHAT_ERR_INTERNAL: m.internal,
};

export function errorReply(code: ChatErrorCode, message: string): ErrorReply {
  return { kind: 'error', code, message };
}

/** Codes the alert engine may throw from `IncidentPort` when a button races another change. */
const ALERT_CODES: Readonly<Record<string, ChatErrorCode>> = {
  ALERT_ERR_INCIDENT_NOT_FOUND: 'CHAT_ERR_INCIDENT_NOT_FOUND',
  ALERT_ERR_INCIDENT_RESOLVED: 'CHAT_ERR_INCIDENT_RESOLVED',
};

/**
 * Maps a caught error; returns null for errors it does not know (the caller logs those and
 * answers `CHAT_ERR_INTERNAL`). `incidentId` fills alert-error messages.
 */
export function knownErrorReply(err: unknown, locale: Locale, incidentId?: number): ErrorReply | null {
  if (err instanceof ChatError) {
    if (err.code === 'CHAT_ERR_USAGE' || err.code === 'CHAT_ERR_UNKNOWN_COMMAND' || err.code === 'CHAT_ERR_UNKNOWN_TYPE') {
      return errorReply(err.code, String(err.params.message ?? ''));
    }
    return errorReply(err.code, translate(TEXTS[err.code], locale, err.params));
  }
  if (err instanceof DomainError) {
    switch (err.code) {
      case 'DOMAIN_ERR_UNIQUE_NOT_FOUND':
        return errorReply('CHAT_ERR_UNIQUE_NOT_FOUND', translate(m.uniqueNotFound, locale, { unique: String(err.details.unique ?? '') }));
      case 'DOMAIN_ERR_CIRCLE_NOT_FOUND':
        return errorReply('CHAT_ERR_CIRCLE_NOT_FOUND', translate(m.circleNotFound, locale, { circle: String(err.details.circle ?? '') }));
      case 'DOMAIN_ERR_ACCOUNT_NOT_FOUND':
      case 'DOMAIN_ERR_DUPLICATE':
      case 'DOMAIN_ERR_INVALID_INPUT':
      case 'DOMAIN_ERR_WEAK_PASSWORD':
        return errorReply('CHAT_ERR_INVALID_INPUT', translate(m.invalidInput, locale, { message: err.message }));
      default: {
        const never: never = err.code;
        return never;
      }
    }
  }
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : null;
  const mapped = code ? ALERT_CODES[code] : undefined;
  if (mapped) return errorReply(mapped, translate(TEXTS[mapped as keyof typeof TEXTS], locale, { id: incidentId ?? '?' }));
  return null;
}
