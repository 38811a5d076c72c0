/**
 * Via header value parsing.
 *
 * @remarks
 * RFC 3261 §20.42 (https://www.rfc-editor.org/rfc/rfc3261#section-20.42) and the `Via` ABNF of
 * §25.1; RFC 3581 (`rport` as a flag or with a value); RFC 5118 §4.5 (`received` accepted with or
 * without `[ ]`). LWS is allowed around `/`, `;` and `=` (RFC 4475 §3.1.1.1 wsinv).
 */
import type { ParseResult, SipVia } from './types.js';
import { isIpv4, isIpv6, isToken, parseHeaderParams, parseHostPort, skipWs } from './lexical.js';

function fail(reason: string): ParseResult<SipVia> {
  return { ok: false, reason };
}

function readToken(s: string, i: number): { token: string; end: number } {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x2f || c === 0x20 || c === 0x09 || c === 0x3b || c === 0x0d || c === 0x0a) break;
    j++;
  }
  return { token: s.slice(i, j), end: j };
}

/**
 * Parse one Via value (use `getHeaderValues(msg, 'Via')` to get the comma-separated elements).
 *
 * @remarks RFC 3261 §25.1:
 * `via-parm = sent-protocol LWS sent-by *( SEMI via-params )`,
 * `sent-protocol = protocol-name SLASH protocol-version SLASH transport`.
 * `protocol` is returned normalised without whitespace (`SIP/2.0/UDP`), `transport` upper-cased.
 * `received` must be an IPv4 or IPv6 address; `rport` must be empty or a port number.
 */
export function parseVia(value: string): ParseResult<SipVia> {
  const parts: string[] = [];
  let i = skipWs(value, 0);
  for (let k = 0; k < 3; k++) {
    const t = readToken(value, i);
    if (!isToken(t.token)) return fail('bad sent-protocol');
    parts.push(t.token);
    i = skipWs(value, t.end);
    if (k < 2) {
      if (value.charCodeAt(i) !== 0x2f) return fail("expected '/' in sent-protocol");
      i = skipWs(value, i + 1);
    }
  }
  const hostStart = i;
  let hostEnd = i;
  while (hostEnd < value.length) {
    const c = value.charCodeAt(hostEnd);
    if (c === 0x3b || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    hostEnd++;
  }
  const hp = parseHostPort(value, hostStart, hostEnd);
  if (hp === null) return fail('bad sent-by');
  const params = new Map<string, string | null>();
  const err = parseHeaderParams(value, hostEnd, params);
  if (err !== null) return fail(err);
  const received = params.get('received');
  if (received !== undefined) {
    if (received === null) return fail('received without a value');
    const bare = received.charCodeAt(0) === 0x5b && received.endsWith(']') ? received.slice(1, -1) : received;
    if (!isIpv4(bare) && !isIpv6(bare)) return fail('bad received address');
  }
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && !/^[0-9]{1,5}$/.test(rport)) return fail('bad rport');
  const branch = params.get('branch');
  if (branch === null) return fail('branch without a value');
  const transport = parts[2]!.toUpperCase();
  return {
    ok: true,
    value: {
      protocol: `${parts[0]!.toUpperCase()}/${parts[1]}/${transport}`,
      transport,
      host: hp.host,
      port: hp.port,
      params,
      branch: branch ?? null,
    },
  };
}
