/**
 * The lexical layer of RFC 3261 §25.1 shared by the URI, Via and digest parsers: character
 * classes, tokens, escapes, hosts and ports, quoted strings and header parameters.
 *
 * @remarks
 * Every helper is a left-to-right scan with `charCodeAt` and a lookup table (no backtracking regular
 * expressions). IPv6 references follow RFC 5118.
 */
export const TOKEN = 1;
const UNRESERVED = 2;
export const USER = 4;
export const PASSWORD = 8;
export const PARAM = 16;
export const HNV = 32;
const HOST = 64;

/** Character classes of RFC 3261 §25.1, one bit per class. Filled once at load, read-only after. */
export const CLASS: Uint8Array = (() => {
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

/** Whether every character of `s[start,end)` is in one of the classes `bits`. */
export function allIn(s: string, start: number, end: number, bits: number): boolean {
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

/** SP, HTAB, CR or LF. */
export function isWs(c: number): boolean {
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
