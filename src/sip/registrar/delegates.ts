/**
 * Delegate interfaces through which the registrar talks upward (persistence, credentials, metrics).
 *
 * @remarks
 * In the style of SIP.js's TU delegates: the SIP module never imports the domain; the composition
 * root (`src/main.ts`) implements these. The event and record shapes are structurally identical to
 * the domain's types: do not rename fields.
 */

/** Every event the registrar emits. */
export type RegistrarEventType =
  | 'registered'
  | 'refreshed'
  | 'unregistered'
  | 'expired'
  | 'auth_failed'
  | 'unknown_unique'
  | 'stale_nonce'
  | 'interval_too_brief'
  | 'rejected'
  | 'blocked';

/** One thing that happened to a unique (or to a source, for `blocked`). */
export interface RegistrarEvent {
  readonly type: RegistrarEventType;
  /** To-AOR user or digest user (for unknown_unique: the attempted user name). */
  readonly unique: string;
  readonly at: Date;
  /** 'REGISTER' | 'INVITE' */
  readonly method: string;
  /** "203.0.113.7:5062", IPv6 "[2001:db8::1]:5060" */
  readonly source: string;
  readonly transport: 'udp' | 'tcp';
  readonly userAgent: string | null;
  readonly contact: string | null;
  readonly callId: string | null;
  readonly requestedExpires: number | null;
  readonly grantedExpires: number | null;
  readonly responseCode: number | null;
  /** e.g. {reason:'wrong_password', algorithm:'MD5'} */
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

/** One current contact binding of a unique (RFC 3261 §10.3). */
export interface BindingRecord {
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
  /**
   * Times as epoch milliseconds, not Dates: a Date is a ~90-byte heap object and every binding held
   * three (bench/PERF-NOTES.md #21). The store takes either form.
   */
  readonly registeredAt: number;
  readonly refreshedAt: number;
  readonly expiresAt: number;
}

/** Binding changes and events of one request (or one expiry sweep), persisted together. */
export interface RegistrarCommit {
  readonly upserts: readonly BindingRecord[];
  readonly removals: readonly { unique: string; contact: string }[];
  readonly events: readonly RegistrarEvent[];
}

/** Precomputed digest HA1 values (lower-case hex) of one unique. */
export interface SipCredentials {
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
}

/** Synchronous, in-memory: the hot path never waits for a database to find a password hash. */
export interface CredentialLookup {
  lookup(unique: string): SipCredentials | undefined;
}

/** Persistence port of the registrar. */
export interface RegistrarDelegate {
  /** Persist binding changes and events. The returned promise resolves when they are durable. */
  persist(commit: RegistrarCommit): Promise<void>;
}

/** Kinds of authentication failure counted by {@link SipMetrics.authFailure}. */
export type SipAuthFailureKind = 'wrong_password' | 'unknown_unique' | 'user_mismatch' | 'stale_nonce' | 'replay';

/**
 * Counters and gauges of the SIP module; the composition root wires prom-client.
 *
 * @remarks
 * Called on the hot path: implementations must be cheap (pre-created label children).
 */
export interface SipMetrics {
  request(method: string): void;
  response(method: string, status: number): void;
  authFailure(kind: SipAuthFailureKind): void;
  activeBindings(n: number): void;
  persistLatency(seconds: number): void;
  retransmission(): void;
  dropped(reason: 'malformed' | 'oversized' | 'rate_limited' | 'blocked' | 'response' | 'stray_ack'): void;
}

/** Metrics that record nothing (default). */
export const noopSipMetrics: SipMetrics = {
  request() {},
  response() {},
  authFailure() {},
  activeBindings() {},
  persistLatency() {},
  retransmission() {},
  dropped() {},
};

/** pino-compatible logger subset. */
export interface SipLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** pino's level check; when absent debug logging on the hot path is skipped. */
  isLevelEnabled?(level: string): boolean;
}

/** Logger that writes nothing (default). */
export const silentSipLogger: SipLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Injectable clock (milliseconds since the epoch). */
export interface SipClock {
  now(): number;
}
