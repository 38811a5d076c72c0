/**
 * A contact bound to a unique by a successful REGISTER (RFC 3261 §10.3).
 * Structurally identical to the SIP layer's `BindingRecord`.
 */
export interface Binding {
  readonly unique: string;
  readonly contact: string;
  readonly source: string;
  readonly transport: 'udp' | 'tcp';
  readonly userAgent: string | null;
  readonly callId: string;
  readonly cseq: number;
  readonly path: readonly string[];
  readonly instanceId: string | null;
  readonly regId: number | null;
  readonly q: number | null;
  readonly requestedExpires: number | null;
  readonly grantedExpires: number;
  readonly registeredAt: Date;
  readonly refreshedAt: Date;
  readonly expiresAt: Date;
}

/** What the alert engine learns of a line's bindings on first sight: which contacts, until when. */
export type BindingLease = Pick<Binding, 'contact' | 'expiresAt'>;

/** What a status document shows of a binding: the circle overview reads only these columns. */
export type BindingView = Pick<Binding, 'contact' | 'source' | 'transport' | 'userAgent' | 'registeredAt' | 'expiresAt'>;
