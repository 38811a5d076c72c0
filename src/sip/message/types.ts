/**
 * SIP message model shared by the parser, the serializer, the transaction layer and the registrar.
 *
 * @remarks
 * RFC 3261 §7 (https://www.rfc-editor.org/rfc/rfc3261#section-7): a message is a start line, header
 * fields and an optional body. Header values are kept as the raw (unfolded) text so that a header the
 * registrar never reads costs nothing; structured accessors parse on demand.
 */

/** Transports the registrar listens on. */
export type SipTransportName = 'udp' | 'tcp';

/** One header field as received: canonical long-form name, raw value (line folding already undone). */
export interface SipHeaderField {
  /** Canonical long form, e.g. `Via`, `Call-ID`, `WWW-Authenticate` (compact `v` becomes `Via`). */
  readonly name: string;
  /** Value with surrounding whitespace trimmed and folded lines joined by a single space. */
  readonly value: string;
}

/** Where a message came from, as seen by the transport. */
export interface SipPeer {
  readonly address: string;
  readonly port: number;
  readonly transport: SipTransportName;
}

/** A parsed SIP URI (RFC 3261 §19.1, RFC 3986 for IPv6 references). */
export interface SipUri {
  readonly scheme: 'sip' | 'sips' | 'tel';
  readonly user: string | null;
  readonly password: string | null;
  /** Host without brackets for IPv6 (`::1`, not `[::1]`). */
  readonly host: string;
  readonly port: number | null;
  /** URI parameters, lower-cased names; `null` value for a flag parameter such as `;lr`. */
  readonly params: ReadonlyMap<string, string | null>;
  /** URI headers (`?name=value`), raw. */
  readonly headers: ReadonlyMap<string, string>;
}

/** name-addr / addr-spec with header parameters (To, From, Contact, Route, Path...). */
export interface SipNameAddr {
  readonly displayName: string | null;
  readonly uri: SipUri;
  /** The URI text exactly as received (without `<>`), used when echoing a Contact back. */
  readonly rawUri: string;
  /** Header parameters after the URI (`;tag=`, `;expires=`, `;q=`, `;+sip.instance=`), lower-cased names. */
  readonly params: ReadonlyMap<string, string | null>;
}

/** One Via entry (RFC 3261 §20.42, RFC 3581 rport). */
export interface SipVia {
  readonly protocol: string; // e.g. "SIP/2.0/UDP"
  readonly transport: string; // "UDP", "TCP", "TLS", upper-case
  readonly host: string;
  readonly port: number | null;
  readonly params: ReadonlyMap<string, string | null>;
  readonly branch: string | null;
}

interface SipMessageBase {
  readonly version: string; // "SIP/2.0"
  /** Header fields in received order; repeated and comma-joined fields kept as received. */
  readonly headers: readonly SipHeaderField[];
  readonly body: Buffer;
}

export interface SipRequest extends SipMessageBase {
  readonly kind: 'request';
  readonly method: string;
  /** Request-URI text as received. */
  readonly requestUri: string;
}

export interface SipResponse extends SipMessageBase {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Parsing never throws on network input: it says why the bytes are not a message. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
