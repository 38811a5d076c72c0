/**
 * `source: "opensips"`: usrloc events (E_UL_*) as OpenSIPS hands them to `event_route` or to the
 * JSON-RPC event transport — `{event|method, params}` — plus one script-raised auth event.
 *
 * @remarks
 * https://opensips.org/docs/modules/3.4.x/usrloc.html#exported_events — E_UL_CONTACT_INSERT /
 * UPDATE / DELETE carry `aor, uri, received, path, qval, user_agent, socket, bflags, expires (Unix
 * time), callid, cseq, attr, latency, shtag`; E_UL_AOR_INSERT / DELETE carry only `aor` and are
 * skipped (the contact events say everything). OpenSIPS raises E_UL_CONTACT_DELETE both for an
 * un-REGISTER and for a timer expiry: a contact whose `expires` has passed when it is deleted
 * expired, otherwise it was removed by the phone. `E_UL_CONTACT_EXPIRE` (raised by some builds and
 * scripts) is taken as an expiry.
 * `E_LINEWATCH_AUTH` is ours: the script posts it when `www_authorize()` fails, with its return
 * code (auth_db: -1 invalid user, -2 invalid password, -3 stale nonce, -4 no credentials, -5 error).
 */
import { z } from 'zod';
import type { RegistrationEventType } from '../../domain/index.js';
import { domainTransport, formatSource, hostPortOfUri, transportParamOfUri } from '../sip-address.js';
import { fromEpoch, fromZodError, issue, orNull, registrationEvent, skip, uniqueFrom, type EventMapper, type MappingOutcome } from './mapping.js';

const int = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/, 'must be a whole number').transform(Number)]);
const optText = z.string().nullable().optional();

const CONTACT_EVENTS = ['E_UL_CONTACT_INSERT', 'E_UL_CONTACT_UPDATE', 'E_UL_CONTACT_DELETE', 'E_UL_CONTACT_EXPIRE'] as const;
const SKIPPED_EVENTS = ['E_UL_AOR_INSERT', 'E_UL_AOR_DELETE', 'E_UL_CONTACT_REFRESH', 'E_UL_LATENCY_UPDATE'] as const;
const AUTH_EVENT = 'E_LINEWATCH_AUTH';
const EVENT_NAMES = [...CONTACT_EVENTS, ...SKIPPED_EVENTS, AUTH_EVENT] as const;

const Envelope = z
  .object({
    event: z.enum(EVENT_NAMES).optional(),
    /** JSON-RPC notification form (`event_jsonrpc` / `event_routing` forwarders). */
    jsonrpc: z.literal('2.0').optional(),
    method: z.enum(EVENT_NAMES).optional(),
    /** Unix seconds when the event was raised (`$Ts`); default: when linewatch received it. */
    time: z.union([z.number().positive(), z.string().trim().regex(/^\d+(\.\d+)?$/).transform(Number)]).optional(),
    params: z.record(z.unknown()),
  })
  .strict()
  .refine((e) => (e.event ?? e.method) !== undefined, { message: "'event' (or the JSON-RPC 'method') is required", path: ['event'] });

const ContactParams = z
  .object({
    domain: optText,
    aor: z.string().min(1),
    uri: z.string().min(1),
    received: optText,
    path: optText,
    qval: int.nullable().optional(),
    user_agent: optText,
    socket: optText,
    bflags: int.nullable().optional(),
    expires: int.nullable().optional(),
    callid: optText,
    cseq: int.nullable().optional(),
  })
  .passthrough();

const AuthParams = z
  .object({
    aor: z.string().min(1),
    rc: int,
    source_ip: z.string().min(1),
    source_port: int,
    proto: optText,
    user_agent: optText,
    callid: optText,
    method: z.string().regex(/^[A-Z]{2,20}$/).optional(),
    code: int.optional(),
  })
  .passthrough();

function isSkipped(name: string): name is (typeof SKIPPED_EVENTS)[number] {
  return (SKIPPED_EVENTS as readonly string[]).includes(name);
}

const AUTH_TYPES: Record<number, RegistrationEventType | null> = { [-1]: 'unknown_unique', [-2]: 'auth_failed', [-3]: 'stale_nonce', [-4]: null, [-5]: 'rejected' };

export const mapOpenSipsEvent: EventMapper = (raw, ctx) => {
  const parsed = Envelope.safeParse(raw);
  if (!parsed.success) return fromZodError(parsed.error);
  const name = (parsed.data.event ?? parsed.data.method)!;
  const at = parsed.data.time !== undefined ? fromEpoch(parsed.data.time) : ctx.receivedAt;
  if (isSkipped(name)) return skip;
  if (name === AUTH_EVENT) return mapAuth(parsed.data.params, at, ctx.loginServer);
  const p = ContactParams.safeParse(parsed.data.params);
  if (!p.success) return prefixed(fromZodError(p.error), 'params');
  const c = p.data;
  const unique = uniqueFrom(c.aor, ['params', 'aor']);
  if (!unique.ok) return prefixed(unique.outcome, '');
  const received = orNull(c.received);
  const source = (received ? hostPortOfUri(received) : null) ?? hostPortOfUri(c.uri);
  if (!source) return issue(['params', 'uri'], 'is not a SIP URI and no received address was given');
  const socketProto = orNull(c.socket)?.split(':')[0] ?? null;
  const proto = socketProto ?? (received ? transportParamOfUri(received) : null) ?? transportParamOfUri(c.uri);
  const expiresAt = c.expires !== null && c.expires !== undefined && c.expires > 0 ? fromEpoch(c.expires) : null;
  const secondsLeft = expiresAt ? Math.round((expiresAt.getTime() - at.getTime()) / 1000) : null;
  let type: RegistrationEventType;
  switch (name) {
    case 'E_UL_CONTACT_INSERT':
      type = 'registered';
      break;
    case 'E_UL_CONTACT_UPDATE':
      type = 'refreshed';
      break;
    case 'E_UL_CONTACT_DELETE':
      type = secondsLeft !== null && secondsLeft <= 1 ? 'expired' : 'unregistered';
      break;
    case 'E_UL_CONTACT_EXPIRE':
      type = 'expired';
      break;
    default: {
      const never: never = name;
      return never;
    }
  }
  const accepted = type === 'registered' || type === 'refreshed';
  return {
    ok: true,
    event: registrationEvent({
      type,
      unique: unique.unique,
      at,
      source,
      transport: domainTransport(proto),
      userAgent: orNull(c.user_agent),
      contact: c.uri,
      callId: orNull(c.callid),
      grantedExpires: accepted && secondsLeft !== null ? Math.max(0, secondsLeft) : type === 'unregistered' ? 0 : null,
      detail: { ingest: 'opensips', loginServer: ctx.loginServer, event: name, ...(proto ? { transport: proto } : {}) },
    }),
  };
};

function mapAuth(params: Record<string, unknown>, at: Date, loginServer: string): MappingOutcome {
  const p = AuthParams.safeParse(params);
  if (!p.success) return prefixed(fromZodError(p.error), 'params');
  const a = p.data;
  if (a.rc > 0) return skip;
  if (!(a.rc in AUTH_TYPES)) return issue(['params', 'rc'], `${a.rc} is not a return code of www_authorize()`);
  const type = AUTH_TYPES[a.rc]!;
  if (type === null) return skip;
  const unique = uniqueFrom(a.aor, ['params', 'aor']);
  if (!unique.ok) return unique.outcome;
  const proto = orNull(a.proto);
  return {
    ok: true,
    event: registrationEvent({
      type,
      unique: unique.unique,
      at,
      method: a.method ?? 'REGISTER',
      source: formatSource(a.source_ip, a.source_port),
      transport: domainTransport(proto),
      userAgent: orNull(a.user_agent),
      callId: orNull(a.callid),
      responseCode: a.code ?? null,
      detail: { ingest: 'opensips', loginServer, event: AUTH_EVENT, rc: a.rc, ...(proto ? { transport: proto } : {}) },
    }),
  };
}

function prefixed(outcome: MappingOutcome, head: string): MappingOutcome {
  if (outcome.ok || head === '') return outcome;
  return issue([head, ...outcome.path], outcome.message);
}
