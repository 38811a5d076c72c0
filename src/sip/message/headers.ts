/**
 * Header names (canonical long forms, compact forms) and header accessors.
 *
 * @remarks
 * RFC 3261 §7.3 (https://www.rfc-editor.org/rfc/rfc3261#section-7.3) and §7.3.3 compact forms
 * (https://www.rfc-editor.org/rfc/rfc3261#section-7.3.3). The parser stores every known header under
 * its canonical long form, so accessors compare canonical strings with `===`; names we do not know
 * are kept as received and compared case-insensitively. The tables are frozen constants built once
 * at module load (no mutable module state).
 */
import type { SipHeaderField, SipMessage } from './types.js';

const KNOWN_HEADERS: readonly string[] = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Accept-Resource-Priority',
  'Alert-Info', 'Allow', 'Allow-Events', 'Authentication-Info', 'Authorization', 'Call-ID',
  'Call-Info', 'Contact', 'Content-Disposition', 'Content-Encoding', 'Content-Language',
  'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info', 'Event', 'Expires', 'Flow-Timer',
  'From', 'Identity', 'Identity-Info', 'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires',
  'Min-SE', 'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Priority',
  'Privacy', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason',
  'Record-Route', 'Refer-To', 'Referred-By', 'Reject-Contact', 'Reply-To', 'Request-Disposition',
  'Require', 'Resource-Priority', 'Retry-After', 'Route', 'RSeq', 'Security-Client',
  'Security-Server', 'Security-Verify', 'Server', 'Service-Route', 'Session-Expires', 'SIP-ETag',
  'SIP-If-Match', 'Subject', 'Subscription-State', 'Supported', 'Timestamp', 'To', 'Unsupported',
  'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
];

/**
 * Compact forms: RFC 3261 §7.3.3 (`i m e l f t v k s c`) plus the IANA-registered ones
 * (`a j d` RFC 3841, `b` RFC 3892, `o u` RFC 6665, `r` RFC 3515, `x` RFC 4028, `y n` RFC 4474).
 */
export const COMPACT_FORMS: ReadonlyMap<string, string> = new Map([
  ['a', 'Accept-Contact'], ['b', 'Referred-By'], ['c', 'Content-Type'], ['d', 'Request-Disposition'],
  ['e', 'Content-Encoding'], ['f', 'From'], ['i', 'Call-ID'], ['j', 'Reject-Contact'], ['k', 'Supported'],
  ['l', 'Content-Length'], ['m', 'Contact'], ['n', 'Identity-Info'], ['o', 'Event'], ['r', 'Refer-To'],
  ['s', 'Subject'], ['t', 'To'], ['u', 'Allow-Events'], ['v', 'Via'], ['x', 'Session-Expires'],
  ['y', 'Identity'],
]);

/** lower-case long or compact name → canonical long form. Built once; never mutated. */
const CANONICAL: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const h of KNOWN_HEADERS) {
    m.set(h.toLowerCase(), h);
    m.set(h, h); // exact canonical spelling: the common case on the wire, no toLowerCase needed
  }
  for (const [compact, long] of COMPACT_FORMS) m.set(compact, long);
  return m;
})();

/**
 * Headers whose grammar is a comma-separated list (`#element`), so several values may share one line.
 * Deliberately absent: the authentication headers (their params contain commas), Date, User-Agent,
 * Server, Subject, Retry-After and every other single-value header.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'Via', 'Contact', 'Route', 'Record-Route', 'Path', 'Service-Route', 'Allow', 'Allow-Events',
  'Supported', 'Require', 'Proxy-Require', 'Unsupported', 'Accept', 'Accept-Encoding',
  'Accept-Language', 'Accept-Contact', 'Reject-Contact', 'Request-Disposition', 'Alert-Info',
  'Call-Info', 'Error-Info', 'Content-Encoding', 'Content-Language', 'In-Reply-To', 'Warning',
  'P-Asserted-Identity', 'P-Preferred-Identity', 'Privacy', 'Security-Client', 'Security-Server',
  'Security-Verify', 'Reason',
]);

/**
 * Canonical long form of a header name given in any case, long or compact.
 *
 * @remarks RFC 3261 §7.3.1: "field names are always case-insensitive"; §7.3.3 compact forms.
 * Unknown names are returned unchanged.
 */
export function canonicalHeaderName(name: string): string {
  return CANONICAL.get(name) ?? CANONICAL.get(name.toLowerCase()) ?? name;
}

/** Whether the (canonical) header is a comma-separated list header. */
export function isListHeader(canonicalName: string): boolean {
  return LIST_HEADERS.has(canonicalName);
}

function matcher(name: string): (field: SipHeaderField) => boolean {
  const known = CANONICAL.get(name) ?? CANONICAL.get(name.toLowerCase());
  if (known !== undefined) return (f) => f.name === known;
  const lower = name.toLowerCase();
  return (f) => f.name.length === lower.length && f.name.toLowerCase() === lower;
}

/**
 * First value of a header, or `undefined`.
 *
 * @remarks `name` may be in any case and long or compact (RFC 3261 §7.3.3). For list headers this is
 * the whole first header line, not the first list element; use {@link getHeaderValues} for elements.
 */
export function getHeader(msg: Pick<SipMessage, 'headers'>, name: string): string | undefined {
  const known = CANONICAL.get(name) ?? CANONICAL.get(name.toLowerCase());
  const headers = msg.headers;
  if (known !== undefined) {
    for (let i = 0; i < headers.length; i++) if (headers[i]!.name === known) return headers[i]!.value;
    return undefined;
  }
  const match = matcher(name);
  for (const h of headers) if (match(h)) return h.value;
  return undefined;
}

/**
 * All values of a header in received order; list headers are split into their elements.
 *
 * @remarks RFC 3261 §7.3.1: "Multiple header field rows with the same field-name MAY be present in a
 * message if and only if the entire field-value for that header field is defined as a
 * comma-separated list [...] It MUST be possible to combine the multiple header field rows into one
 * [...] by appending each subsequent field-value to the first, each separated by a comma."
 * Empty list elements are dropped.
 */
export function getHeaderValues(msg: Pick<SipMessage, 'headers'>, name: string): string[] {
  const match = matcher(name);
  const canonical = canonicalHeaderName(name);
  const split = LIST_HEADERS.has(canonical);
  const out: string[] = [];
  for (const h of msg.headers) {
    if (!match(h)) continue;
    if (split) splitHeaderList(h.value, out);
    else out.push(h.value);
  }
  return out;
}

/**
 * Split a comma-separated header value into trimmed, non-empty elements.
 *
 * @remarks Commas inside quoted strings (with `\` quoted-pairs, RFC 3261 §25.1) and inside `<...>`
 * do not separate elements. One pass with `charCodeAt`; no regular expressions.
 */
export function splitHeaderList(value: string, out: string[] = []): string[] {
  if (value.indexOf(',') === -1) {
    const t = trimLws(value);
    if (t.length > 0) out.push(t);
    return out;
  }
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++; // quoted-pair
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (c === 0x3c) inAngle = true;
    else if (c === 0x3e) inAngle = false;
    else if (c === 0x2c && !inAngle) {
      const t = trimLws(value.slice(start, i));
      if (t.length > 0) out.push(t);
      start = i + 1;
    }
  }
  const t = trimLws(value.slice(start));
  if (t.length > 0) out.push(t);
  return out;
}

/** Strip SP/HTAB/CR/LF only (RFC 3261 LWS); `String#trim` would also eat U+FEFF and NBSP. */
export function trimLws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isLws(s.charCodeAt(a))) a++;
  while (b > a && isLws(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isLws(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}
