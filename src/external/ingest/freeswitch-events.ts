/**
 * `source: "freeswitch"`: mod_sofia CUSTOM events exactly as the event socket gives them in JSON
 * (`event json CUSTOM sofia::register sofia::unregister sofia::expire sofia::register_failure`),
 * forwarded unchanged; every header is a string.
 *
 * @remarks
 * Headers used (mod_sofia sofia_reg.c): `Event-Subclass`, `Event-Date-Timestamp` (Unix µs),
 * `from-user` / `to-user` / `username`, `contact`, `call-id`, `expires`, `network-ip`,
 * `network-port`, `user-agent`, `status` (e.g. `Registered(UDP)`). mod_sofia does not tell a first
 * registration from a refresh, so `sofia::register` is always `registered`; `register_failure` does
 * not tell a wrong password from an unknown user, so it is `auth_failed`.
 * `sofia::register_attempt` and `sofia::pre_register` are accepted and skipped.
 */
import { z } from 'zod';
import type { RegistrationEventType } from '../../domain/index.js';
import { domainTransport, formatSource, transportParamOfUri } from '../sip-address.js';
import { fromEpoch, fromZodError, issue, orNull, registrationEvent, skip, uniqueFrom, type EventMapper } from './mapping.js';

const SUBCLASS_TYPES: Record<string, RegistrationEventType | null> = {
  'sofia::register': 'registered',
  'sofia::unregister': 'unregistered',
  'sofia::expire': 'expired',
  'sofia::register_failure': 'auth_failed',
  'sofia::register_attempt': null,
  'sofia::pre_register': null,
};

const header = z.string().optional();

const FreeSwitchEvent = z
  .object({
    'Event-Name': z.literal('CUSTOM', { errorMap: () => ({ message: "must be 'CUSTOM' (mod_sofia events)" }) }),
    'Event-Subclass': z.string().refine((s) => s in SUBCLASS_TYPES, {
      message: `must be one of ${Object.keys(SUBCLASS_TYPES).join(', ')}`,
    }),
    'Event-Date-Timestamp': z.string().regex(/^\d+$/, 'must be Unix microseconds').optional(),
    'from-user': header,
    'to-user': header,
    username: header,
    contact: header,
    'call-id': header,
    expires: z.string().regex(/^\d*$/, 'must be whole seconds').optional(),
    'network-ip': z.string().min(1, 'is required'),
    'network-port': z.string().regex(/^\d{1,5}$/, 'must be a port number'),
    'user-agent': header,
    status: header,
    'profile-name': header,
  })
  .passthrough();

export const mapFreeSwitchEvent: EventMapper = (raw, ctx) => {
  const parsed = FreeSwitchEvent.safeParse(raw);
  if (!parsed.success) return fromZodError(parsed.error);
  const e = parsed.data;
  const type = SUBCLASS_TYPES[e['Event-Subclass']]!;
  if (type === null) return skip;
  const userField = orNull(e['from-user']) ? 'from-user' : orNull(e['to-user']) ? 'to-user' : orNull(e.username) ? 'username' : null;
  if (!userField) return issue(['from-user'], 'from-user, to-user or username is required');
  const unique = uniqueFrom(e[userField]!, [userField]);
  if (!unique.ok) return unique.outcome;
  const contact = orNull(e.contact);
  const statusProto = /\((udp|tcp|tls|ws|wss|sctp)/i.exec(e.status ?? '')?.[1] ?? null;
  const proto = statusProto ?? (contact ? transportParamOfUri(contact) : null);
  const expires = e.expires && e.expires !== '' ? Number(e.expires) : null;
  const accepted = type === 'registered';
  return {
    ok: true,
    event: registrationEvent({
      type,
      unique: unique.unique,
      at: e['Event-Date-Timestamp'] ? fromEpoch(Number(e['Event-Date-Timestamp'])) : ctx.receivedAt,
      source: formatSource(e['network-ip'], e['network-port']),
      transport: domainTransport(proto),
      userAgent: orNull(e['user-agent']),
      contact: contact ? contact.replace(/^"[^"]*"\s*/, '') : null,
      callId: orNull(e['call-id']),
      requestedExpires: accepted ? expires : null,
      grantedExpires: accepted ? expires : type === 'unregistered' ? 0 : null,
      responseCode: type === 'auth_failed' ? 403 : null,
      detail: {
        ingest: 'freeswitch',
        loginServer: ctx.loginServer,
        event: e['Event-Subclass'],
        ...(orNull(e['profile-name']) ? { profile: e['profile-name']! } : {}),
        ...(proto ? { transport: proto.toLowerCase() } : {}),
      },
    }),
  };
};
