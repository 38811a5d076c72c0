/**
 * Registration events: the append-only history every status, alert and answer is built from.
 *
 * @remarks
 * Structurally identical to the SIP layer's `RegistrarEvent`, so the registrar's output is stored
 * as is; the domain never imports the SIP layer.
 */
export const REGISTRATION_EVENT_TYPES = [
  'registered',
  'refreshed',
  'unregistered',
  'expired',
  'auth_failed',
  'unknown_unique',
  'stale_nonce',
  'interval_too_brief',
  'rejected',
  'blocked',
] as const;

export type RegistrationEventType = (typeof REGISTRATION_EVENT_TYPES)[number];

export interface RegistrationEvent {
  readonly type: RegistrationEventType;
  /** The unique (To-AOR or digest user); for `unknown_unique` the number that was tried. */
  readonly unique: string;
  readonly at: Date;
  readonly method: string;
  /** `ip:port`, IPv6 as `[addr]:port`. */
  readonly source: string;
  readonly transport: 'udp' | 'tcp';
  readonly userAgent: string | null;
  readonly contact: string | null;
  readonly callId: string | null;
  readonly requestedExpires: number | null;
  readonly grantedExpires: number | null;
  readonly responseCode: number | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
}

/** An event once stored: ids grow with insertion order. */
export interface StoredRegistrationEvent extends RegistrationEvent {
  readonly id: number;
}

/** When a stored event happened and its place in the history: all a status needs of the last REGISTER. */
export type EventMark = Pick<StoredRegistrationEvent, 'id' | 'at'>;

/** Events that count as an error for the status document's "latest error". */
export const ERROR_EVENT_TYPES: readonly RegistrationEventType[] = [
  'auth_failed',
  'unknown_unique',
  'interval_too_brief',
  'rejected',
  'blocked',
];

/** Events that mean a REGISTER was accepted ("last REGISTER received at"). */
export const ACCEPTED_REGISTER_TYPES: readonly RegistrationEventType[] = ['registered', 'refreshed', 'unregistered'];

export function isRegistrationEventType(value: string): value is RegistrationEventType {
  return (REGISTRATION_EVENT_TYPES as readonly string[]).includes(value);
}
