/**
 * Read endpoints of contract.md: a unique's status document, its events, a circle with every unique.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { LineQueries } from '../../app/index.js';
import { isUniqueType, refreshKeptDays, type HistoryRetention, type StoredRegistrationEvent } from '../../domain/index.js';
import { HttpError } from '../http-error.js';

export interface StatusRoutesOptions {
  readonly lineQueries: LineQueries;
  /** How long events are kept (README "History retention"), told with every page of events. */
  readonly retention?: HistoryRetention;
}

export function eventJson(e: StoredRegistrationEvent) {
  return {
    id: e.id,
    type: e.type,
    unique: e.unique,
    at: e.at.toISOString(),
    method: e.method,
    source: e.source,
    transport: e.transport,
    userAgent: e.userAgent,
    contact: e.contact,
    callId: e.callId,
    requestedExpires: e.requestedExpires,
    grantedExpires: e.grantedExpires,
    responseCode: e.responseCode,
    detail: e.detail,
  };
}

const numberParam = { type: 'object', required: ['number'], properties: { number: { type: 'string', maxLength: 32 } } } as const;

export const statusRoutes: FastifyPluginAsync<StatusRoutesOptions> = async (app, { lineQueries, retention }) => {
  app.get('/uniques/:number', { schema: { tags: ['status'], params: numberParam } }, async (request) => {
    const { number } = request.params as { number: string };
    const result = await lineQueries.status(number);
    if (result.external && !result.external.ok) {
      return { ...result.document, externalQuery: { ok: false, reason: result.external.reason, message: result.external.message } };
    }
    return result.document;
  });

  app.get(
    '/uniques/:number/events',
    {
      schema: {
        tags: ['status'],
        params: numberParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 }, before: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (request) => {
      const { number } = request.params as { number: string };
      const { limit, before } = request.query as { limit: number; before?: number };
      const { events } = await lineQueries.history(number, limit, before);
      return {
        unique: number,
        events: events.map(eventJson),
        next: events.length === limit ? events[events.length - 1]!.id : null,
        ...(retention ? { retentionDays: { refreshed: refreshKeptDays(retention), other: retention.eventDays } } : {}),
      };
    },
  );

  app.get(
    '/circles/:number',
    {
      schema: {
        tags: ['status'],
        params: numberParam,
        querystring: { type: 'object', additionalProperties: false, properties: { type: { type: 'string', maxLength: 40 } } },
      },
    },
    async (request) => {
      const { number } = request.params as { number: string };
      const { type } = request.query as { type?: string };
      if (type !== undefined && !isUniqueType(type)) throw new HttpError(400, 'HTTP_ERR_UNKNOWN_TYPE', `type "${type}" is not a unique type code`);
      const { circle, documents } = await lineQueries.circle(number, type);
      const counts = { registered: 0, not_registered: 0, unsupported: 0, unknown: 0 };
      for (const d of documents) counts[d.status]++;
      return {
        number: circle.number,
        account: circle.accountLoginId,
        userInfo: circle.userInfo,
        department: circle.department,
        contact: circle.contact,
        appliedOn: circle.appliedOn,
        state: circle.state,
        counts,
        uniques: documents,
      };
    },
  );
};
