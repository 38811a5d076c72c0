/**
 * Datagram/message parser: start line, header fields, Content-Length framing.
 *
 * @remarks
 * RFC 3261 §7 (https://www.rfc-editor.org/rfc/rfc3261#section-7) and §18.3 (framing).
 * Trade-offs (measured by `bench/sip-parse.bench.ts`): the header section is located with native
 * `Buffer#indexOf`, decoded to a string once, and split with `indexOf('\n')`; header values are kept
 * raw (structured accessors such as `parseVia` parse on demand), so a REGISTER costs one pass.
 * What is checked here, because every layer above relies on it: start line, SIP version, header
 * line syntax, the mandatory headers To/From/Call-ID/CSeq/Via (Max-Forwards is optional: RFC 2543
 * peers omit it, RFC 4475 §3.4.1), at most one To/From/Call-ID/CSeq/Max-Forwards/Content-Length
 * (RFC 4475 §3.3.8, §3.3.9), CSeq syntax and method, Content-Length. Syntax of structured values
 * (URIs, name-addr, Via) is left to the accessors so that an element can still answer 400.
 */
import type { ParseResult, SipHeaderField, SipMessage } from './types.js';
import { canonicalHeaderName } from './headers.js';

/** Stable reason codes for a refused message; the registrar maps them to 400/505 or a silent drop. */
export type SipParseErrorCode =
  | 'SIP_ERR_EMPTY'
  | 'SIP_ERR_INCOMPLETE_HEADERS'
  | 'SIP_ERR_START_LINE'
  | 'SIP_ERR_VERSION'
  | 'SIP_ERR_STATUS_CODE'
  | 'SIP_ERR_REQUEST_URI'
  | 'SIP_ERR_HEADER_SYNTAX'
  | 'SIP_ERR_MISSING_HEADER'
  | 'SIP_ERR_DUPLICATE_HEADER'
  | 'SIP_ERR_CSEQ'
  | 'SIP_ERR_CSEQ_METHOD'
  | 'SIP_ERR_CONTENT_LENGTH'
  | 'SIP_ERR_INTERNAL';

/** `ParseResult<SipMessage>` whose failures also carry a {@link SipParseErrorCode}. */
export type MessageParseResult =
  | { readonly ok: true; readonly value: SipMessage }
  | { readonly ok: false; readonly reason: string; readonly code: SipParseErrorCode };

const LF_CRLF = Buffer.from('\n\r\n', 'latin1');
const LF_LF = Buffer.from('\n\n', 'latin1');
const MAX_CSEQ = 0xffffffff;

function failure(code: SipParseErrorCode, reason: string): MessageParseResult {
  return { ok: false, reason, code };
}

/**
 * Parse one SIP message from a datagram (or from one frame cut by `StreamFramer`).
 *
 * @remarks Never throws. CRLF and bare LF line ends are both accepted; leading CRLFs are skipped
 * (RFC 3261 §7.5: "implementations processing SIP messages over stream-oriented transports MUST
 * ignore any CRLF appearing before the start-line"). Folded lines are joined with one space.
 * `body` is a view into `bytes` (no copy).
 * RFC 3261 §18.3: "If the transport packet ends before the end of the message body, this is
 * considered an error." A missing Content-Length means the body is the rest of the datagram; octets
 * after Content-Length are discarded (RFC 4475 §3.1.1.8 dblreq).
 */
export function parseMessage(bytes: Buffer): MessageParseResult {
  try {
    return parseUnchecked(bytes);
  } catch (cause) {
    // Defensive only: no known input reaches this (see test/property/sip-message.property.test.ts).
    return failure('SIP_ERR_INTERNAL', `internal parser error: ${String(cause)}`);
  }
}

function parseUnchecked(bytes: Buffer): MessageParseResult {
  if (!Buffer.isBuffer(bytes)) return failure('SIP_ERR_EMPTY', 'not a Buffer');
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x0d || bytes[start] === 0x0a)) start++;
  if (start >= bytes.length) return failure('SIP_ERR_EMPTY', 'empty message');

  // Fast path (one native search instead of two): the usual CRLF message ends its header section
  // at the first "\n\r\n". A bare-LF empty line before it ("\n\n" inside the decoded text, or
  // the text ending in "\n") ends the section earlier: then take the general path below. LF bytes
  // decode 1:1 in UTF-8, so the test on the text is exact. bench/perf/count.sh parse.
  let headEnd = bytes.indexOf(LF_CRLF, start);
  let bodyStart = headEnd + 3;
  let text = headEnd === -1 ? '' : bytes.toString('utf8', start, headEnd);
  if (headEnd === -1 || text.indexOf('\n\n') !== -1 || text.charCodeAt(text.length - 1) === 0x0a) {
    const a = headEnd;
    const b = bytes.indexOf(LF_LF, start);
    if (a !== -1 && (b === -1 || a < b)) {
      headEnd = a;
      bodyStart = a + 3;
    } else if (b !== -1) {
      headEnd = b;
      bodyStart = b + 2;
    } else {
      return failure('SIP_ERR_INCOMPLETE_HEADERS', 'header section is not terminated by an empty line');
    }
    text = bytes.toString('utf8', start, headEnd);
  }

  // Start line.
  let nl = text.indexOf('\n');
  let lineEnd = nl === -1 ? text.length : nl;
  if (lineEnd > 0 && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
  const startLine = text.slice(0, lineEnd);
  let pos = nl === -1 ? text.length : nl + 1;

  // Header fields.
  const headers: SipHeaderField[] = [];
  let curName: string | null = null;
  let curValue = '';
  let cseqValue: string | undefined;
  let contentLength: string | undefined;
  let seen = 0; // bit set: 1 To, 2 From, 4 Call-ID, 8 CSeq, 16 Via
  let dupName: string | null = null;
  while (pos < text.length) {
    nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    lineEnd = end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const c0 = text.charCodeAt(pos);
    if (c0 === 0x20 || c0 === 0x09) {
      // RFC 3261 §7.3.1: a continuation line is equivalent to a single SP.
      if (curName === null) return failure('SIP_ERR_HEADER_SYNTAX', 'continuation line before any header');
      const more = sliceLws(text, pos, lineEnd);
      if (more.length > 0) curValue = curValue.length > 0 ? `${curValue} ${more}` : more;
    } else {
      if (curName !== null) headers.push({ name: curName, value: curValue });
      const colon = text.indexOf(':', pos);
      if (colon === -1 || colon >= lineEnd) return failure('SIP_ERR_HEADER_SYNTAX', 'header line without colon');
      let nameEnd = colon;
      while (nameEnd > pos && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
      if (nameEnd === pos || !isTokenRange(text, pos, nameEnd)) {
        return failure('SIP_ERR_HEADER_SYNTAX', 'bad header name');
      }
      curName = knownHeaderAt(text, pos, nameEnd) ?? canonicalHeaderName(text.slice(pos, nameEnd));
      curValue = sliceLws(text, colon + 1, lineEnd);
    }
    pos = end + 1;
    if (pos >= text.length || (text.charCodeAt(pos) !== 0x20 && text.charCodeAt(pos) !== 0x09)) {
      // Header complete: record the ones framing and matching depend on.
      if (curName !== null) {
        let bit = 0;
        switch (curName) {
          case 'To': bit = 1; break;
          case 'From': bit = 2; break;
          case 'Call-ID': bit = 4; break;
          case 'CSeq': bit = 8; cseqValue = curValue; break;
          case 'Via': seen |= 16; break;
          case 'Max-Forwards': bit = 32; break;
          case 'Content-Length': bit = 64; contentLength = curValue; break;
        }
        if (bit !== 0) {
          if ((seen & bit) !== 0) dupName ??= curName;
          seen |= bit;
        }
        headers.push({ name: curName, value: curValue });
        curName = null;
      }
    }
  }

  // Start line, now that we know it is worth it.
  let request: { method: string; requestUri: string } | null = null;
  let status = 0;
  let reason = '';
  if (startLine.length >= 4 && startLine.slice(0, 4).toUpperCase() === 'SIP/') {
    const sp1 = startLine.indexOf(' ');
    if (sp1 === -1) return failure('SIP_ERR_START_LINE', 'status line without status code');
    const v = checkVersion(startLine.slice(0, sp1));
    if (v !== null) return v;
    const sp2 = startLine.indexOf(' ', sp1 + 1);
    const codeText = startLine.slice(sp1 + 1, sp2 === -1 ? startLine.length : sp2);
    if (codeText.length !== 3 || !isDigits(codeText)) return failure('SIP_ERR_STATUS_CODE', 'status code is not 3 digits');
    status = Number(codeText);
    if (status < 100 || status > 699) return failure('SIP_ERR_STATUS_CODE', 'status code out of range');
    reason = sp2 === -1 ? '' : startLine.slice(sp2 + 1);
  } else {
    // RFC 3261 §7.1: Request-Line = Method SP Request-URI SP SIP-Version CRLF (exactly one SP each).
    const sp1 = startLine.indexOf(' ');
    const sp2 = sp1 === -1 ? -1 : startLine.indexOf(' ', sp1 + 1);
    if (sp2 === -1) return failure('SIP_ERR_START_LINE', 'request line needs method, Request-URI and version');
    const method = startLine.slice(0, sp1);
    if (method.length === 0 || !isTokenRange(method, 0, method.length)) return failure('SIP_ERR_START_LINE', 'bad method');
    const requestUri = startLine.slice(sp1 + 1, sp2);
    if (!isAbsoluteUriShape(requestUri)) return failure('SIP_ERR_REQUEST_URI', 'bad Request-URI');
    const v = checkVersion(startLine.slice(sp2 + 1));
    if (v !== null) return v;
    request = { method, requestUri };
  }

  if (dupName !== null) return failure('SIP_ERR_DUPLICATE_HEADER', `more than one ${dupName}`);
  // RFC 3261 §8.1.1: "A valid SIP request formulated by a UAC MUST, at a minimum, contain the
  // following header fields: To, From, CSeq, Call-ID, Max-Forwards, and Via". Max-Forwards is not
  // required here (RFC 2543 compatibility, RFC 4475 §3.4.1); responses copy the same five (§8.2.6.2).
  if ((seen & 31) !== 31) return failure('SIP_ERR_MISSING_HEADER', `missing ${missingNames(seen)}`);
  const cseq = parseCSeq(cseqValue!);
  if (!cseq.ok) return failure('SIP_ERR_CSEQ', cseq.reason);
  // RFC 3261 §8.1.1.5: "The method MUST match that of the request."
  if (request !== null && cseq.value.method !== request.method) {
    return failure('SIP_ERR_CSEQ_METHOD', 'CSeq method does not match the request method');
  }

  let body: Buffer;
  if (contentLength === undefined) {
    body = bodyStart >= bytes.length ? EMPTY : bytes.subarray(bodyStart);
  } else {
    if (contentLength.length === 0 || contentLength.length > 10 || !isDigits(contentLength)) {
      return failure('SIP_ERR_CONTENT_LENGTH', 'Content-Length is not a non-negative integer');
    }
    const n = Number(contentLength);
    if (bodyStart + n > bytes.length) return failure('SIP_ERR_CONTENT_LENGTH', 'Content-Length larger than the message');
    body = n === 0 ? EMPTY : bytes.subarray(bodyStart, bodyStart + n);
  }
  // Built here, once, with a fixed shape (an object spread would create a dictionary-mode copy).
  const value: SipMessage = request === null
    ? { kind: 'response', status, reason, version: 'SIP/2.0', headers, body }
    : { kind: 'request', method: request.method, requestUri: request.requestUri, version: 'SIP/2.0', headers, body };
  return { ok: true, value };
}

const EMPTY = Buffer.alloc(0);

/**
 * Canonical names of the headers every REGISTER carries, by first character: a header spelled
 * exactly like this on the wire (the common case) is recognised with `startsWith` at its position,
 * without slicing the name and hashing it for the Map lookup of `canonicalHeaderName`.
 */
const COMMON_BY_FIRST: ReadonlyMap<number, readonly string[]> = (() => {
  const m = new Map<number, string[]>();
  for (const name of ['Via', 'Max-Forwards', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Content-Length', 'Content-Type',
    'Expires', 'Allow', 'Allow-Events', 'Supported', 'User-Agent', 'Authorization', 'Proxy-Authorization', 'Require', 'Path',
    'Route', 'Record-Route', 'Accept', 'Event', 'Date', 'Server']) {
    const list = m.get(name.charCodeAt(0)) ?? [];
    list.push(name);
    m.set(name.charCodeAt(0), list);
  }
  return m;
})();

/** The canonical name if `text[start,end)` spells one of {@link COMMON_BY_FIRST} exactly, else undefined. */
function knownHeaderAt(text: string, start: number, end: number): string | undefined {
  const list = COMMON_BY_FIRST.get(text.charCodeAt(start));
  if (list === undefined) return undefined;
  const length = end - start;
  for (let i = 0; i < list.length; i++) {
    const name = list[i]!;
    if (name.length === length && text.startsWith(name, start)) return name;
  }
  return undefined;
}

/**
 * `text[start,end)` without leading/trailing SP, HTAB and CR. Unlike `String#trim` it keeps
 * U+FEFF, NBSP and other Unicode spaces, which are content in SIP (RFC 4475 §3.1.1.2 intmeth).
 */
function sliceLws(text: string, start: number, end: number): string {
  while (start < end) {
    const c = text.charCodeAt(start);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
    start++;
  }
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
    end--;
  }
  return text.slice(start, end);
}

function checkVersion(v: string): MessageParseResult | null {
  if (v.length === 7 && v.toUpperCase() === 'SIP/2.0') return null;
  if (/^SIP\/[0-9]{1,5}\.[0-9]{1,5}$/i.test(v)) return failure('SIP_ERR_VERSION', `unsupported SIP version '${v}'`);
  return failure('SIP_ERR_START_LINE', 'bad SIP-Version');
}

function missingNames(seen: number): string {
  const names = ['To', 'From', 'Call-ID', 'CSeq', 'Via'];
  return names.filter((_, i) => (seen & (1 << i)) === 0).join(', ');
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return s.length > 0;
}

/** RFC 3261 §25.1 token characters: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~". */
function isTokenRange(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
      c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f ||
      c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e;
    if (!ok) return false;
  }
  return true;
}

/** `scheme ":" 1*VCHAR` without `<`, `>` or `"` (RFC 3261 §25.1 Request-URI; RFC 4475 §3.1.2.7). */
function isAbsoluteUriShape(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 1 || colon === s.length - 1) return false;
  const c0 = s.charCodeAt(0) | 0x20;
  if (c0 < 0x61 || c0 > 0x7a) return false;
  for (let i = 1; i < colon; i++) {
    const c = s.charCodeAt(i);
    const lc = c | 0x20;
    if (!((lc >= 0x61 && lc <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)) return false;
  }
  for (let i = colon + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x3c || c === 0x3e || c === 0x22) return false;
  }
  return true;
}

/**
 * Parse a CSeq value: `1*DIGIT LWS Method`.
 *
 * @remarks RFC 3261 §8.1.1.5 (https://www.rfc-editor.org/rfc/rfc3261#section-8.1.1.5): "The sequence
 * number MUST be expressible as a 32-bit unsigned integer" (RFC 4475 §3.1.2.4 scalar02). Leading
 * zeros are allowed (RFC 4475 §3.1.1.1 `0009`).
 */
export function parseCSeq(value: string): ParseResult<{ seq: number; method: string }> {
  let i = 0;
  const len = value.length;
  while (i < len && (value.charCodeAt(i) === 0x20 || value.charCodeAt(i) === 0x09)) i++;
  const dStart = i;
  let seq = 0;
  while (i < len) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
    if (seq > MAX_CSEQ) return { ok: false, reason: 'CSeq number exceeds 2^32-1' };
    i++;
  }
  if (i === dStart) return { ok: false, reason: 'CSeq number missing' };
  const wsStart = i;
  while (i < len && (value.charCodeAt(i) === 0x20 || value.charCodeAt(i) === 0x09)) i++;
  if (i === wsStart) return { ok: false, reason: 'CSeq needs whitespace before the method' };
  const mStart = i;
  while (i < len && value.charCodeAt(i) !== 0x20 && value.charCodeAt(i) !== 0x09) i++;
  const method = value.slice(mStart, i);
  while (i < len && (value.charCodeAt(i) === 0x20 || value.charCodeAt(i) === 0x09)) i++;
  if (i !== len || method.length === 0 || !isTokenRange(method, 0, method.length)) {
    return { ok: false, reason: 'bad CSeq method' };
  }
  return { ok: true, value: { seq, method } };
}
