/**
 * SIP/SIPS/tel URI, name-addr and Contact list parsing (the lexical helpers they share with the
 * Via and digest parsers are in `lexical.ts`).
 *
 * @remarks
 * RFC 3261 §19.1.1 (https://www.rfc-editor.org/rfc/rfc3261#section-19.1.1), §20.10
 * (https://www.rfc-editor.org/rfc/rfc3261#section-20.10) and the ABNF of §25.1; RFC 5118 for IPv6
 * references; RFC 3966 for `tel:`. Every parser is a single left-to-right scan with `charCodeAt` and
 * lookup tables (no backtracking regular expressions) and returns `{ ok: false, reason }` instead of
 * throwing. User, password and URI parameters are percent-decoded (RFC 3261 §19.1.4 compares URIs
 * after unescaping); `SipNameAddr.rawUri` keeps the text as received for echoing.
 */
import type { ParseResult, SipNameAddr, SipUri } from './types.js';
import { splitHeaderList, trimLws } from './headers.js';
import { allIn, CLASS, HNV, isWs, PARAM, parseHeaderParams, parseHostPort, PASSWORD, percentDecode, readQuoted, skipWs, TOKEN, USER } from './lexical.js';

function fail<T>(reason: string): ParseResult<T> {
  return { ok: false, reason };
}

function parseUriParams(s: string, start: number, end: number, out: Map<string, string | null>): string | null {
  let i = start;
  while (i < end) {
    // s[i] === ';'
    let next = s.indexOf(';', i + 1);
    if (next === -1 || next > end) next = end;
    const eq = s.indexOf('=', i + 1);
    const nameEnd = eq !== -1 && eq < next ? eq : next;
    if (nameEnd === i + 1 || !allIn(s, i + 1, nameEnd, PARAM)) return 'bad URI parameter name';
    const name = percentDecode(s.slice(i + 1, nameEnd));
    if (name === null) return 'bad escape in URI parameter';
    let value: string | null = null;
    if (nameEnd < next) {
      if (nameEnd + 1 === next || !allIn(s, nameEnd + 1, next, PARAM)) return 'bad URI parameter value';
      value = percentDecode(s.slice(nameEnd + 1, next));
      if (value === null) return 'bad escape in URI parameter';
    }
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, value);
    i = next;
  }
  return null;
}

function parseUriHeaders(s: string, start: number, end: number, out: Map<string, string>): string | null {
  if (start >= end) return 'empty URI headers';
  let i = start;
  while (i <= end) {
    let amp = s.indexOf('&', i);
    if (amp === -1 || amp > end) amp = end;
    const eq = s.indexOf('=', i);
    if (eq === -1 || eq >= amp || eq === i) return 'bad URI header';
    if (!allIn(s, i, eq, HNV) || !allIn(s, eq + 1, amp, HNV)) return 'bad URI header character';
    out.set(s.slice(i, eq), s.slice(eq + 1, amp));
    i = amp + 1;
  }
  return null;
}

/**
 * Shared by every URI and name-addr that has no parameters (a REGISTER's request-URI, To and
 * usually From's URI): no Map per parse. Typed read-only everywhere, so never written to. The
 * parser allocated ~14 empty Maps per registration (bench/PERF-NOTES.md #23).
 */
const NO_PARAMS: ReadonlyMap<string, string | null> = new Map();
const NO_HEADERS: ReadonlyMap<string, string> = new Map();

/**
 * Parse a `sip:`, `sips:` or `tel:` URI.
 *
 * @remarks RFC 3261 §19.1.1 (https://www.rfc-editor.org/rfc/rfc3261#section-19.1.1),
 * RFC 5118 §4.3/§4.4 (IPv6 ports only outside `[ ]`), RFC 3966 (for `tel:` the number is returned in
 * `user` and `host` is empty). Other schemes fail with reason `unsupported URI scheme`.
 * Whitespace anywhere makes the URI invalid (RFC 4475 §3.1.2.8).
 */
export function parseUri(text: string): ParseResult<SipUri> {
  const colon = text.indexOf(':');
  if (colon <= 0) return fail('URI has no scheme');
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return fail(`unsupported URI scheme '${scheme}'`);
  let params = NO_PARAMS;
  let headers = NO_HEADERS;
  const len = text.length;
  let semi = text.indexOf(';', colon + 1);
  if (scheme === 'tel') {
    const numEnd = semi === -1 ? len : semi;
    const num = text.slice(colon + 1, numEnd);
    if (num.length === 0 || !/^[0-9A-Fa-f*#+\-.()pPwW]+$/.test(num)) return fail('bad tel number');
    if (numEnd < len) {
      const found = new Map<string, string | null>();
      const err = parseUriParams(text, numEnd, len, found);
      if (err !== null) return fail(err);
      params = found;
    }
    return { ok: true, value: { scheme, user: num, password: null, host: '', port: null, params, headers } };
  }
  let user: string | null = null;
  let password: string | null = null;
  let hostStart = colon + 1;
  const at = text.indexOf('@', hostStart);
  if (at !== -1) {
    const pw = text.indexOf(':', hostStart);
    const userEnd = pw !== -1 && pw < at ? pw : at;
    if (userEnd === hostStart || !allIn(text, hostStart, userEnd, USER)) return fail('bad URI user');
    user = percentDecode(text.slice(hostStart, userEnd));
    if (user === null) return fail('bad escape in URI user');
    if (userEnd < at) {
      if (!allIn(text, userEnd + 1, at, PASSWORD)) return fail('bad URI password');
      password = percentDecode(text.slice(userEnd + 1, at));
      if (password === null) return fail('bad escape in URI password');
    }
    hostStart = at + 1;
    semi = text.indexOf(';', hostStart);
  }
  const q = text.indexOf('?', hostStart);
  const paramsEnd = q === -1 ? len : q;
  const hostEnd = semi !== -1 && semi < paramsEnd ? semi : paramsEnd;
  const hp = parseHostPort(text, hostStart, hostEnd);
  if (hp === null) return fail('bad URI host or port');
  if (hostEnd < paramsEnd) {
    const found = new Map<string, string | null>();
    const err = parseUriParams(text, hostEnd, paramsEnd, found);
    if (err !== null) return fail(err);
    params = found;
  }
  if (q !== -1) {
    const found = new Map<string, string>();
    const err = parseUriHeaders(text, q + 1, len, found);
    if (err !== null) return fail(err);
    headers = found;
  }
  return { ok: true, value: { scheme, user, password, host: hp.host, port: hp.port, params, headers } };
}

/**
 * Parse a name-addr or addr-spec with its header parameters (To, From, Contact, Route, Path ...).
 *
 * @remarks RFC 3261 §20.10 (https://www.rfc-editor.org/rfc/rfc3261#section-20.10): "Even if the
 * "display-name" is empty, the "name-addr" form MUST be used if the "addr-spec" contains a comma,
 * semicolon, or question mark." So without `<>` the URI ends at the first `;` and every parameter
 * after it is a header parameter (RFC 4475 §3.3.12 cparam01), and a bare URI carrying `?headers`
 * is refused (RFC 4475 §3.1.2.13 regbadct). Spaces inside `< >` are refused (§3.1.2.14 badaspec).
 */
export function parseNameAddr(text: string): ParseResult<SipNameAddr> {
  const len = text.length;
  let i = skipWs(text, 0);
  let displayName: string | null = null;
  let rawUri: string;
  const c0 = text.charCodeAt(i);
  if (c0 === 0x22) {
    const qs = readQuoted(text, i);
    if (qs === null) return fail('unterminated quoted display name');
    displayName = qs.value;
    i = skipWs(text, qs.end);
    if (text.charCodeAt(i) !== 0x3c) return fail("expected '<' after display name");
  }
  const lt = text.charCodeAt(i) === 0x3c ? i : text.indexOf('<', i);
  if (lt !== -1) {
    if (displayName === null && lt > i) {
      const dnEnd = lt;
      for (let j = i; j < dnEnd; j++) {
        const c = text.charCodeAt(j);
        if (!isWs(c) && (c >= 128 || (CLASS[c]! & TOKEN) === 0)) return fail('display name is not a token list');
      }
      displayName = text.slice(i, dnEnd).trim();
    }
    const gt = text.indexOf('>', lt + 1);
    if (gt === -1) return fail("missing '>'");
    rawUri = text.slice(lt + 1, gt);
    i = gt + 1;
  } else {
    let end = i;
    while (end < len) {
      const c = text.charCodeAt(end);
      if (c === 0x3b || isWs(c)) break;
      if (c === 0x2c || c === 0x3f) return fail("addr-spec containing ',' or '?' must be enclosed in '<>'");
      end++;
    }
    rawUri = text.slice(i, end);
    i = end;
  }
  const uri = parseUri(rawUri);
  if (!uri.ok) return uri;
  let params = NO_PARAMS;
  if (skipWs(text, i) < len) {
    const found = new Map<string, string | null>();
    const err = parseHeaderParams(text, i, found);
    if (err !== null) return fail(err);
    params = found;
  }
  return { ok: true, value: { displayName, uri: uri.value, rawUri, params } };
}

/**
 * Parse a Contact header value: `*` or a comma-separated list of name-addr/addr-spec.
 *
 * @remarks RFC 3261 §20.10 and §10.3 step 6 (the `*` form is only valid alone).
 */
export function parseContactList(value: string): ParseResult<'*' | SipNameAddr[]> {
  const trimmed = trimLws(value);
  if (trimmed === '*') return { ok: true, value: '*' };
  const parts = splitHeaderList(trimmed);
  if (parts.length === 0) return fail('empty Contact');
  const out: SipNameAddr[] = [];
  for (const p of parts) {
    if (p === '*') return fail("'*' must be the only Contact value");
    const r = parseNameAddr(p);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}
