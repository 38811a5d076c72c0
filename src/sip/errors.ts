/**
 * Errors of the SIP module: one class per failure, each with a stable `SIP_ERR_*` code.
 *
 * @remarks
 * Malformed network input is not an error here: parsers return `{ ok: false, reason }` and the
 * registrar answers 400 or drops. These classes are for programmer errors (illegal state
 * transitions), startup failures (bind) and persistence failures that the registrar maps to 500.
 */

/** Every code this module can throw. Retired codes are never reused. */
export const SIP_ERROR_CODES = [
  'SIP_ERR_ILLEGAL_TRANSITION',
  'SIP_ERR_BIND_FAILED',
  'SIP_ERR_PERSIST_FAILED',
  'SIP_ERR_INVALID_OPTIONS',
] as const;

/** One of {@link SIP_ERROR_CODES}. */
export type SipErrorCode = (typeof SIP_ERROR_CODES)[number];

/** Base class: a fixed message per code, the original failure in `cause`. */
export abstract class SipError extends Error {
  abstract readonly code: SipErrorCode;
}

/** A transaction state machine was asked to make a transition RFC 3261 §17 does not allow. */
export class SipIllegalTransitionError extends SipError {
  readonly code = 'SIP_ERR_ILLEGAL_TRANSITION' as const;
  constructor(machine: string, from: string, to: string) {
    super(`illegal ${machine} transition ${from} -> ${to}`);
    this.name = 'SipIllegalTransitionError';
  }
}

/** The UDP or TCP listener could not be bound. */
export class SipBindError extends SipError {
  readonly code = 'SIP_ERR_BIND_FAILED' as const;
  constructor(host: string, port: number, options?: { cause?: unknown }) {
    super(`could not bind SIP listener on ${host}:${port}`, options);
    this.name = 'SipBindError';
  }
}

/** `RegistrarDelegate.persist()` rejected; the registrar answers 500 and rolls back. */
export class SipPersistError extends SipError {
  readonly code = 'SIP_ERR_PERSIST_FAILED' as const;
  constructor(options?: { cause?: unknown }) {
    super('registrar commit could not be persisted', options);
    this.name = 'SipPersistError';
  }
}

/** `createSipServer()` options are inconsistent (e.g. minExpires > maxExpires). */
export class SipInvalidOptionsError extends SipError {
  readonly code = 'SIP_ERR_INVALID_OPTIONS' as const;
  constructor(detail: string) {
    super(`invalid SIP server options: ${detail}`);
    this.name = 'SipInvalidOptionsError';
  }
}
