/**
 * Shared pieces of the per-source mappings: each source's raw event becomes one domain
 * `RegistrationEvent`, nothing (a skipped event, e.g. an AOR-level notification), or an issue that
 * names the offending field.
 */
import type { z } from 'zod';
import type { RegistrationEvent } from '../../domain/index.js';
import { userOfAor } from '../sip-address.js';

export type IngestSource = 'kamailio' | 'opensips' | 'freeswitch' | 'generic';

export interface MappingContext {
  readonly loginServer: string;
  /** When linewatch received the request: the event time when the source sends none. */
  readonly receivedAt: Date;
}

export type MappingOutcome =
  | { readonly ok: true; readonly event: RegistrationEvent | null }
  | { readonly ok: false; readonly path: readonly (string | number)[]; readonly message: string };

export type EventMapper = (raw: unknown, ctx: MappingContext) => MappingOutcome;

export const skip: MappingOutcome = { ok: true, event: null };

export const issue = (path: readonly (string | number)[], message: string): MappingOutcome => ({ ok: false, path, message });

/** First zod issue as a mapping outcome. */
export function fromZodError(error: z.ZodError): MappingOutcome {
  const first = error.issues[0]!;
  return issue(first.path, first.message);
}

/** User names we accept as a unique (scanners try `admin`, `1000`...: kept for unknown_unique). */
const UNIQUE_RE = /^[^\s@;:<>"',]{1,64}$/;

/** The unique from an AOR or user field, or an issue naming the field. */
export function uniqueFrom(value: string, path: readonly (string | number)[]): { ok: true; unique: string } | { ok: false; outcome: MappingOutcome } {
  const unique = userOfAor(value);
  if (!UNIQUE_RE.test(unique)) return { ok: false, outcome: issue(path, `cannot read a unique (SIP user name) from '${value.slice(0, 80)}'`) };
  return { ok: true, unique };
}

/** Unix time in seconds, milliseconds or microseconds (FreeSWITCH) to a Date. */
export function fromEpoch(value: number): Date {
  if (value > 1e14) return new Date(Math.floor(value / 1000));
  if (value > 1e11) return new Date(value);
  return new Date(value * 1000);
}

/** Non-empty trimmed string or null; registrars write empty strings for unset fields. */
export function orNull(v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  const t = v.trim();
  return t === '' || t === '[not set]' || t === '<null>' ? null : t;
}

/** Builds the event with the defaults every source shares. */
export function registrationEvent(fields: Partial<RegistrationEvent> & Pick<RegistrationEvent, 'type' | 'unique' | 'at' | 'source' | 'transport'>): RegistrationEvent {
  return {
    method: 'REGISTER',
    userAgent: null,
    contact: null,
    callId: null,
    requestedExpires: null,
    grantedExpires: null,
    responseCode: null,
    detail: {},
    ...fields,
  };
}
