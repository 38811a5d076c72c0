/**
 * SIP/SIPS/tel URI, name-addr and Contact list parsing, plus the small lexical helpers shared with
 * the Via and digest parsers.
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

const TOKEN = 1;
const UNRESERVED = 2;
const USER = 4;
const PASSWORD = 8;
const PARAM = 16;
const HNV = 32;
const HOST = 64;

/** Character classes of RFC 3261 §25.1, one bit per class. Filled once at load, read-only after. */
const CLASS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  const add = (chars: string, bits: number): void => {
    for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)]! |= bits;
  };
  const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  add(alnum, TOKEN | UNRESERVED | USER | PASSWORD | PARAM | HNV | HOST);
  add("-.!%*_+`'~", TOKEN);
  add("-_.!~*'()", UNRESERVED | USER | PASSWORD | PARAM | HNV);
  add('%', USER | PASSWORD | PARAM | HNV); // escaped, validated separately
  add('&=+$,;?/', USER);
  add('&=+$,', PASSWORD);
  add('[]/:&+$', PARAM);
  add('[]/?:+$', HNV);
  add('-.', HOST);
  return t;
})();

function allIn(s: string, start: number, end: number, bits: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CLASS[c]! & bits) === 0) return false;
  }
  return true;
}

/** Whether `s` is a non-empty RFC 3261 `token`. */
export function isToken(s: string): boolean {
  return s.length > 0 && allIn(s, 0, s.length, TOKEN);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Decode `%HH` escapes; `null` when an escape is malformed.
 *
 * @remarks RFC 3261 §25.1 `escaped = "%" HEXDIG HEXDIG`. Decoded octets are read as UTF-8, so
 * `%00` stays a NUL character (RFC 4475 §3.1.1.4 escnull: never truncate at it).
 */
export function percentDecode(s: string): string | null {
  const first = s.indexOf('%');
  if (first === -1) return s;
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c !== 0x25) {
      out[n++] = c;
      continue;
    }
    if (i + 2 >= src.length || !isHex(src[i + 1]!) || !isHex(src[i + 2]!)) return null;
    out[n++] = parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16);
    i += 2;
  }
  return out.toString('utf8', 0, n);
}

/** Whether `s[start,end)` is a well-formed IPv6 address body (RFC 4291), tolerating the `:::` of RFC 5118 §4.10. */
export function isIpv6(s: string, start = 0, end = s.length): boolean {
  if (end - start < 2 || end - start > 64) return false;
  let groups = 0;
  let colons = 0;
  let run = 0;
  let dotted = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) {
      if (dotted) return false;
      colons++;
      run = 0;
    } else if (c === 0x2e) {
      dotted = true;
    } else if (isHex(c)) {
      if (run === 0) groups++;
      if (++run > 4 && !dotted) return false;
    } else return false;
  }
  if (colons < 2 || groups > 8) return false;
  if (dotted) {
    const lastColon = s.lastIndexOf(':', end - 1);
    return isIpv4(s.slice(lastColon + 1, end));
  }
  return true;
}

/** Whether `s` is a dotted-quad IPv4 address. */
export function isIpv4(s: string): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i === s.length ? 0x2e : s.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || value > 255) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return false;
      value = value * 10 + (c - 0x30);
    } else return false;
  }
  return parts === 4;
}

/** Whether `s[start,end)` is an RFC 3261 hostname or IPv4 address (not bracketed IPv6). */
export function isHostname(s: string, start: number, end: number): boolean {
  if (end <= start || !allIn(s, start, end, HOST)) return false;
  const first = s.charCodeAt(start);
  if (first === 0x2e || first === 0x2d) return false;
  const dots = s.indexOf('..', start);
  return dots === -1 || dots + 1 >= end;
}

/** Parse a decimal port (1 to 5 digits, ≤ 65535); `null` if invalid. */
export function parsePort(s: string, start: number, end: number): number | null {
  if (end <= start || end - start > 5) return null;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
    v = v * 10 + (c - 0x30);
  }
  return v <= 65535 ? v : null;
}

/** Parse `host[:port]` where host may be an `[IPv6]` reference. */
export function parseHostPort(s: string, start: number, end: number): { host: string; port: number | null } | null {
  if (start >= end) return null;
  let hostEnd: number;
  let host: string;
  if (s.charCodeAt(start) === 0x5b) {
    const close = s.indexOf(']', start);
    if (close === -1 || close >= end || !isIpv6(s, start + 1, close)) return null;
    host = s.slice(start + 1, close);
    hostEnd = close + 1;
  } else {
    const colon = s.indexOf(':', start);
    hostEnd = colon === -1 || colon >= end ? end : colon;
    if (!isHostname(s, start, hostEnd)) return null;
    host = s.slice(start, hostEnd);
  }
  if (hostEnd === end) return { host, port: null };
  if (s.charCodeAt(hostEnd) !== 0x3a) return null;
  const port = parsePort(s, hostEnd + 1, end);
  return port === null ? null : { host, port };
}

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

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Index of the first non-whitespace character at or after `i`. */
export function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Read a quoted-string starting at `s[i] === '"'`; returns the unescaped content and the index after
 * the closing quote, or `null` if it is unterminated.
 *
 * @remarks RFC 3261 §25.1: `quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)`.
 */
export function readQuoted(s: string, i: number): { value: string; end: number } | null {
  let value = '';
  let seg = i + 1;
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) {
      if (j + 1 >= s.length) return null;
      value += s.slice(seg, j);
      seg = j + 1;
      j++;
    } else if (c === 0x22) {
      return { value: value + s.slice(seg, j), end: j + 1 };
    }
  }
  return null;
}

/**
 * Parse header parameters `*( SEMI generic-param )` from `s[i..]`, with LWS allowed around `;` and
 * `=`. Quoted values are kept with their quotes so they can be echoed unchanged.
 *
 * @remarks RFC 3261 §25.1 `generic-param = token [ EQUAL gen-value ]`,
 * `gen-value = token / host / quoted-string`. Returns an error reason or `null`.
 */
export function parseHeaderParams(s: string, i: number, out: Map<string, string | null>): string | null {
  const len = s.length;
  for (;;) {
    i = skipWs(s, i);
    if (i >= len) return null;
    if (s.charCodeAt(i) !== 0x3b) return `unexpected '${s[i]}' before parameter`;
    i = skipWs(s, i + 1);
    const nameStart = i;
    while (i < len && s.charCodeAt(i) < 128 && (CLASS[s.charCodeAt(i)]! & TOKEN) !== 0) i++;
    if (i === nameStart) return 'empty parameter name';
    const name = s.slice(nameStart, i).toLowerCase();
    let value: string | null = null;
    const afterName = skipWs(s, i);
    if (afterName < len && s.charCodeAt(afterName) === 0x3d) {
      i = skipWs(s, afterName + 1);
      if (i < len && s.charCodeAt(i) === 0x22) {
        const qs = readQuoted(s, i);
        if (qs === null) return 'unterminated quoted parameter value';
        value = s.slice(i, qs.end);
        i = qs.end;
      } else {
        const vStart = i;
        while (i < len) {
          const c = s.charCodeAt(i);
          if (c >= 128 || ((CLASS[c]! & TOKEN) === 0 && c !== 0x3a && c !== 0x5b && c !== 0x5d)) break;
          i++;
        }
        if (i === vStart) return `empty value for parameter '${name}'`;
        value = s.slice(vStart, i);
      }
    } else {
      i = afterName;
    }
    if (!out.has(name)) out.set(name, value);
  }
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
