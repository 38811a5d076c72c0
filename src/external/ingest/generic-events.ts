/**
 * `source: "generic"`: linewatch's own event shape, one to one with the domain event, for any
 * registrar or script that can POST JSON.
 */
import { z } from 'zod';
import { REGISTRATION_EVENT_TYPES } from '../../domain/index.js';
import { domainTransport } from '../sip-address.js';
import { fromZodError, issue, registrationEvent, uniqueFrom, type EventMapper } from './mapping.js';

const GenericEvent = z
  .object({
    type: z.enum(REGISTRATION_EVENT_TYPES),
    unique: z.string().min(1),
    at: z.string().datetime({ offset: true, message: 'must be an ISO-8601 time such as 2025-01-31T09:00:00Z' }).optional(),
    source: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:\[\]]+):\d{1,5}$/, "must be 'ip:port' ('[v6]:port' for IPv6)"),
    transport: z.enum(['udp', 'tcp', 'tls', 'ws', 'wss', 'sctp']).default('udp'),
    method: z.string().regex(/^[A-Z]{2,20}$/, 'must be a SIP method such as REGISTER').default('REGISTER'),
    userAgent: z.string().max(1000).optional(),
    contact: z.string().max(2000).optional(),
    callId: z.string().max(500).optional(),
    requestedExpires: z.number().int().min(0).optional(),
    grantedExpires: z.number().int().min(0).optional(),
    responseCode: z.number().int().min(100).max(699).optional(),
    reason: z.string().max(500).optional(),
  })
  .strict();

export const mapGenericEvent: EventMapper = (raw, ctx) => {
  const parsed = GenericEvent.safeParse(raw);
  if (!parsed.success) return fromZodError(parsed.error);
  const e = parsed.data;
  const unique = uniqueFrom(e.unique, ['unique']);
  if (!unique.ok) return unique.outcome;
  const at = e.at ? new Date(e.at) : ctx.receivedAt;
  if (Number.isNaN(at.getTime())) return issue(['at'], 'is not a valid time');
  return {
    ok: true,
    event: registrationEvent({
      type: e.type,
      unique: unique.unique,
      at,
      method: e.method,
      source: e.source,
      transport: domainTransport(e.transport),
      userAgent: e.userAgent ?? null,
      contact: e.contact ?? null,
      callId: e.callId ?? null,
      requestedExpires: e.requestedExpires ?? null,
      grantedExpires: e.grantedExpires ?? null,
      responseCode: e.responseCode ?? null,
      detail: { ingest: 'generic', loginServer: ctx.loginServer, transport: e.transport, ...(e.reason ? { reason: e.reason } : {}) },
    }),
  };
};
