/**
 * Public API of the SIP message layer (RFC 3261 §7, §20, §25; RFC 3581; RFC 5118).
 *
 * @remarks Other modules import only from here.
 */
export type {
  ParseResult, SipHeaderField, SipMessage, SipNameAddr, SipPeer, SipRequest, SipResponse, SipTransportName,
  SipUri, SipVia,
} from './types.js';
export { parseMessage, parseCSeq } from './parse.js';
export type { MessageParseResult, SipParseErrorCode } from './parse.js';
export { serializeMessage, serializeResponse } from './serialize.js';
export { parseUri, parseNameAddr, parseContactList } from './uri.js';
export { percentDecode } from './lexical.js';
export { parseVia } from './via.js';
export {
  canonicalHeaderName, COMPACT_FORMS, getHeader, getHeaderValues, isListHeader, splitHeaderList,
} from './headers.js';
export { parseDigestCredentials, buildDigestChallenge, quoteString } from './auth-header.js';
export type { DigestChallenge } from './auth-header.js';
export { buildResponse, hasTagParam, newTag } from './response-builder.js';
export type { ResponseExtras } from './response-builder.js';
export { responseDestination } from './response-destination.js';
export { ownCopy } from './own-copy.js';
