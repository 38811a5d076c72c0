/**
 * Unique (line) type codes and which of them can show a registration status.
 *
 * @remarks
 * From the portal guide: registration-based types show a status; SIP trunk 2 authenticating by IP
 * address does not register, so it cannot; every other type shows "not supported".
 */
export const UNIQUE_TYPES = [
  'sip_terminal',
  'smartphone',
  'softphone',
  'video_phone',
  'sip_terminal_campaign',
  'sip_trunk',
  'sip_trunk2',
  'sip_trunk2_ip_auth',
  'ymobile',
  'forwarding',
  'reverse_forwarding',
  'conference_room',
  'outbound_routing',
  'ivr',
  'other',
] as const;

export type UniqueType = (typeof UNIQUE_TYPES)[number];

const STATUS_SUPPORTED: ReadonlySet<UniqueType> = new Set<UniqueType>([
  'sip_terminal',
  'smartphone',
  'softphone',
  'video_phone',
  'sip_terminal_campaign',
  'sip_trunk',
  'sip_trunk2',
]);

/** True for the seven registration-based types whose status can be shown. */
export function isStatusSupported(type: UniqueType): boolean {
  return STATUS_SUPPORTED.has(type);
}

/** Narrows an arbitrary string to a type code. */
export function isUniqueType(value: string): value is UniqueType {
  return (UNIQUE_TYPES as readonly string[]).includes(value);
}
