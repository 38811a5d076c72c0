/**
 * Small, lenient readers for the addresses external registrars report. They never throw: a value
 * that cannot be read gives `null` and the caller falls back.
 */

/** `host:port` from a SIP URI (`sip:user@host:port;params`); default port 5060 (5061 for sips). */
export function hostPortOfUri(uri: string): string | null {
  const m = /^\s*<?\s*(sips?):(?:[^@;>]*@)?(\[[0-9a-fA-F:.]+\]|[^:;>?\s]+)(?::(\d{1,5}))?/i.exec(uri);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!;
  const port = m[3] ?? (scheme === 'sips' ? '5061' : '5060');
  return `${host}:${port}`;
}

/** The `transport=` parameter of a SIP URI, lower case, or null. */
export function transportParamOfUri(uri: string): string | null {
  const m = /;\s*transport=([a-z0-9]+)/i.exec(uri);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * The user part of an AOR given as `user`, `user@domain`, `sip:user@domain` or `<sip:user@domain>`;
 * the unique number is the SIP user name (domain.md).
 */
export function userOfAor(aor: string): string {
  const bare = aor.trim().replace(/^<|>$/g, '').replace(/^sips?:/i, '');
  const at = bare.indexOf('@');
  return (at >= 0 ? bare.slice(0, at) : bare.split(';')[0]!).trim();
}

/** `ip:port` with IPv6 bracketed, as RegistrationEvent.source wants it. */
export function formatSource(ip: string, port: number | string): string {
  const host = ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
  return `${host}:${port}`;
}

/**
 * Our domain knows datagram vs stream only; TLS, WS, WSS and SCTP ride on a stream. An unknown
 * protocol is UDP, the RFC 3261 default transport.
 */
export function domainTransport(proto: string | null | undefined): 'udp' | 'tcp' {
  if (!proto) return 'udp';
  return proto.trim().toLowerCase() === 'udp' ? 'udp' : 'tcp';
}
