/**
 * Public API of the SIP module (the composition root imports only this file).
 *
 * @remarks RFC 3261 registrar with digest auth (RFC 7616/8760), UDP and TCP transports.
 */
export { createSipServer, SIP_METHODS, type SipServer, type SipServerOptions } from './sip-server.js';
export {
  noopSipMetrics,
  silentSipLogger,
  type BindingRecord,
  type CredentialLookup,
  type RegistrarCommit,
  type RegistrarDelegate,
  type RegistrarEvent,
  type RegistrarEventType,
  type SipAuthFailureKind,
  type SipClock,
  type SipCredentials,
  type SipLogger,
  type SipMetrics,
} from './registrar/delegates.js';
export type { StoredBinding } from './registrar/binding-table.js';
export type { AbuseOptions } from './abuse/abuse-guard.js';
export { computeHa1, type DigestAlgorithm } from './auth/digest.js';
export { SIP_ERROR_CODES, SipError, SipBindError, SipIllegalTransitionError, SipInvalidOptionsError, SipPersistError, type SipErrorCode } from './errors.js';
