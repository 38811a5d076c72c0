/**
 * `source: "kamailio"`: what the example Kamailio script in docs/external-registrars.md posts with
 * `http_async_client` after `save()`, after `auth_check()`/`www_authenticate()`, and from
 * `event_route[usrloc:contact-expired]`. The Kamailio return code (`$rc`) decides the event type.
 *
 * @remarks
 * registrar `save()` (https://www.kamailio.org/docs/modules/5.6.x/modules/registrar.html#registrar.f.save):
 * 1 contacts inserted, 2 updated, 3 deleted, 4 returned (a query), -1 error, -2 too many contacts.
 * auth_db/auth (https://www.kamailio.org/docs/modules/5.6.x/modules/auth_db.html): -1 generic error,
 * -2 invalid password, -3 invalid user, -4 nonce expired, -5 no credentials, -6 nonce reused,
 * -8 auth user mismatch.
 */
import { z } from 'zod';
import type { RegistrationEventType } from '../../domain/index.js';
import { domainTransport, formatSource, hostPortOfUri, transportParamOfUri } from '../sip-address.js';
import { fromEpoch, fromZodError, issue, orNull, registrationEvent, skip, uniqueFrom, type EventMapper } from './mapping.js';

const int = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/, 'must be a whole number').transform(Number)]);

const KamailioEvent = z
  .object({
    kind: z.enum(['save', 'auth', 'expired']),
    /** `$rc` right after save() or the auth function; not used for `expired`. */
    rc: int.optional(),
    /** `$TS` (Unix seconds) or `$TV(Sn)`-style milliseconds; default: when linewatch received it. */
    time: z.union([z.number().positive(), z.string().trim().regex(/^\d+(\.\d+)?$/).transform(Number)]).optional(),
    /** `$tU` (REGISTER), `$au`, or the AOR `$ulc(exp=>aor)`. */
    user: z.string().min(1),
    method: z.string().regex(/^[A-Z]{2,20}$/, 'must be a SIP method such as REGISTER').default('REGISTER'),
    srcIp: z.string().optional(),
    srcPort: int.optional(),
    /** `$pr`: udp, tcp, tls, ws, wss, sctp. */
    proto: z.string().optional(),
    userAgent: z.string().max(1000).optional(),
    contact: z.string().max(2000).optional(),
    /** `$ulc(exp=>received)`: `sip:ip:port;transport=x`. */
    received: z.string().optional(),
    callId: z.string().max(500).optional(),
    /** Requested expires (`$hdr(Expires)` or the Contact's expires parameter). */
    expires: int.optional(),
    /** SIP response code sent, when the script knows it. */
    code: int.optional(),
  })
  .strict();

type KamailioEventFields = z.infer<typeof KamailioEvent>;

const SAVE_TYPES: Record<number, RegistrationEventType | null> = { 1: 'registered', 2: 'refreshed', 3: 'unregistered', 4: null, [-1]: 'rejected', [-2]: 'rejected' };
const AUTH_TYPES: Record<number, RegistrationEventType | null> = {
  [-1]: 'rejected',
  [-2]: 'auth_failed',
  [-3]: 'unknown_unique',
  [-4]: 'stale_nonce',
  [-5]: null, // no credentials yet: the ordinary first leg of a challenge
  [-6]: 'stale_nonce',
  [-8]: 'rejected',
};

function typeOf(e: KamailioEventFields): { ok: true; type: RegistrationEventType | null } | { ok: false; message: string } {
  if (e.kind === 'expired') return { ok: true, type: 'expired' };
  if (e.rc === undefined) return { ok: false, message: `is required for kind '${e.kind}' (the $rc of ${e.kind === 'save' ? 'save()' : 'the auth function'})` };
  if (e.kind === 'auth' && e.rc > 0) return { ok: true, type: null }; // success: the following save() reports it
  const table = e.kind === 'save' ? SAVE_TYPES : AUTH_TYPES;
  if (!(e.rc in table)) return { ok: false, message: `${e.rc} is not a return code of ${e.kind === 'save' ? 'save()' : 'the auth functions'}` };
  return { ok: true, type: table[e.rc]! };
}

export const mapKamailioEvent: EventMapper = (raw, ctx) => {
  const parsed = KamailioEvent.safeParse(raw);
  if (!parsed.success) return fromZodError(parsed.error);
  const e = parsed.data;
  const type = typeOf(e);
  if (!type.ok) return issue(['rc'], type.message);
  if (type.type === null) return skip;
  const unique = uniqueFrom(e.user, ['user']);
  if (!unique.ok) return unique.outcome;
  const received = orNull(e.received);
  const contact = orNull(e.contact);
  const ip = orNull(e.srcIp);
  const source =
    (ip && e.srcPort !== undefined ? formatSource(ip, e.srcPort) : null) ?? (received ? hostPortOfUri(received) : null) ?? (contact ? hostPortOfUri(contact) : null);
  if (!source) return issue(['srcIp'], 'srcIp and srcPort (or received, or contact) are needed to know where the phone is');
  const proto = orNull(e.proto) ?? (received ? transportParamOfUri(received) : null) ?? (contact ? transportParamOfUri(contact) : null);
  const at = e.time !== undefined ? fromEpoch(e.time) : ctx.receivedAt;
  const accepted = type.type === 'registered' || type.type === 'refreshed';
  return {
    ok: true,
    event: registrationEvent({
      type: type.type,
      unique: unique.unique,
      at,
      method: e.method,
      source,
      transport: domainTransport(proto),
      userAgent: orNull(e.userAgent),
      contact,
      callId: orNull(e.callId),
      requestedExpires: e.expires ?? null,
      grantedExpires: accepted ? (e.expires ?? null) : type.type === 'unregistered' ? 0 : null,
      responseCode: e.code ?? null,
      detail: { ingest: 'kamailio', loginServer: ctx.loginServer, kind: e.kind, ...(e.rc !== undefined ? { rc: e.rc } : {}), ...(proto ? { transport: proto } : {}) },
    }),
  };
};
