/**
 * `GET /incidents?state=&limit=` and `POST /incidents/:id/ack|resolve|snooze {until}` (contract.md),
 * mounted by the server under `/api/v1` after bearer auth. Alert errors map to 404/409/400 here.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AlertError, INCIDENT_STATES, type Actor, type Incident, type IncidentService, type IncidentState } from '../../alerts/index.js';
import { HttpError } from '../http-error.js';

export interface IncidentRoutesOptions {
  readonly incidents: IncidentService;
}

export function incidentJson(i: Incident) {
  return {
    id: i.id,
    cause: i.cause,
    severity: i.severity,
    unique: i.unique,
    circle: i.circle,
    account: i.accountLoginId,
    state: i.state,
    openedAt: i.openedAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    snoozedUntil: i.snoozedUntil?.toISOString() ?? null,
    count: i.count,
    lastSeenAt: i.lastSeenAt.toISOString(),
    lastSource: i.lastSource,
    lastUserAgent: i.lastUserAgent,
    parentId: i.parentId,
    acknowledgedBy: i.acknowledgedBy,
    resolvedBy: i.resolvedBy,
    tips: i.tips,
  };
}

const STATUS: Record<AlertError['code'], number> = {
  ALERT_ERR_INCIDENT_NOT_FOUND: 404,
  ALERT_ERR_ILLEGAL_TRANSITION: 409,
  ALERT_ERR_INVALID_SNOOZE: 400,
  ALERT_ERR_INVALID_ROUTES: 500,
};

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AlertError) throw new HttpError(STATUS[err.code], err.code, err.message, { cause: err });
    throw err;
  }
}

const actorOf = (request: FastifyRequest): Actor => request.actor ?? { source: 'api', id: null, name: null };

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

export const incidentRoutes: FastifyPluginAsync<IncidentRoutesOptions> = async (app, { incidents }) => {
  app.get(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        querystring: {
          type: 'object',
          properties: { state: { type: 'string', enum: [...INCIDENT_STATES] }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { state, limit } = request.query as { state?: IncidentState; limit: number };
      return { incidents: (await incidents.list(state, limit)).map(incidentJson) };
    },
  );

  app.get('/incidents/:id', { schema: { tags: ['incidents'], params: idParams } }, async (request) => {
    const { id } = request.params as { id: number };
    return mapped(async () => {
      const incident = await incidents.get(id);
      const audit = await incidents.audit(id);
      return { ...incidentJson(incident), audit: audit.map((a) => ({ at: a.at.toISOString(), type: a.type, actor: a.actor, reason: a.reason })) };
    });
  });

  app.post('/incidents/:id/ack', { schema: { tags: ['incidents'], params: idParams } }, async (request) => {
    const { id } = request.params as { id: number };
    return incidentJson(await mapped(() => incidents.acknowledge(id, actorOf(request))));
  });

  app.post('/incidents/:id/resolve', { schema: { tags: ['incidents'], params: idParams } }, async (request) => {
    const { id } = request.params as { id: number };
    return incidentJson(await mapped(() => incidents.resolve(id, actorOf(request))));
  });

  app.post(
    '/incidents/:id/snooze',
    {
      schema: {
        tags: ['incidents'],
        params: idParams,
        body: { type: 'object', required: ['until'], properties: { until: { type: 'string', minLength: 1, maxLength: 64 } }, additionalProperties: false },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const { until } = request.body as { until: string };
      const at = new Date(until);
      if (Number.isNaN(at.getTime())) throw new HttpError(400, 'ALERT_ERR_INVALID_SNOOZE', 'until must be an ISO-8601 time');
      return incidentJson(await mapped(() => incidents.snooze(id, at, actorOf(request))));
    },
  );
};
