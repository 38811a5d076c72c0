/**
 * On-call endpoints under `/api/v1/oncall` (issue 7): read and replace people, schedules and
 * escalation policies; who is on call now or at `?at=`; overrides; an incident's escalation log.
 * Replacing a section validates it against the rest of the configuration and stores it, so it
 * outlives a restart and every instance sees it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Actor } from '../../alerts/index.js';
import type { Clock } from '../../domain/index.js';
import { OncallConfigError, ScheduleView, type EscalationService, type OncallConfigSource, type OncallSettingsStore, type SettingsSection } from '../../oncall/index.js';
import { HttpError } from '../http-error.js';

export interface OncallRoutesOptions {
  readonly config: OncallConfigSource;
  readonly settings: OncallSettingsStore;
  readonly clock: Clock;
  /** For `GET /oncall/incidents/:id/history`; omitted when escalation is not running. */
  readonly escalation?: Pick<EscalationService, 'history'>;
}

const SECTIONS: Record<string, SettingsSection> = { people: 'people', schedules: 'schedules', policies: 'escalation_policies' };
const apiActor: Actor = { source: 'api', id: 'api-token', name: null };

function parseInstant(value: unknown, field: string): Date {
  const d = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new HttpError(400, 'ONCALL_ERR_INVALID_INPUT', `${field}: expected an ISO-8601 time`);
  return d;
}

export const oncallRoutes: FastifyPluginAsync<OncallRoutesOptions> = async (app, o) => {
  for (const [path, section] of Object.entries(SECTIONS)) {
    app.get(`/oncall/${path}`, async () => ({ [path]: (await o.config.load(o.clock.now())).config[section] }));
    app.put(`/oncall/${path}`, async (request) => {
      const body = request.body as Record<string, unknown> | unknown[] | null;
      const list = Array.isArray(body) ? body : body && typeof body === 'object' ? body[path] : undefined;
      if (!Array.isArray(list)) throw new HttpError(400, 'ONCALL_ERR_INVALID_INPUT', `body: expected a JSON array or {"${path}": [...]}`);
      try {
        return { [path]: await o.config.replaceSection(section, list, o.clock.now(), apiActor.id) };
      } catch (err) {
        if (err instanceof OncallConfigError) throw new HttpError(400, err.code, err.issues.join('; '), { cause: err });
        throw err;
      }
    });
  }

  app.get('/oncall/now', async (request) => {
    const query = request.query as { at?: string };
    const at = query.at === undefined ? o.clock.now() : parseInstant(query.at, 'at');
    const { config, overrides } = await o.config.load(at);
    const name = (id: string | null) => (id === null ? null : (config.people.find((p) => p.id === id)?.name ?? id));
    return {
      at: at.toISOString(),
      schedules: config.schedules.map((s) => {
        const view = new ScheduleView(s, overrides);
        const h = view.nextHandoff(at);
        const onCall = view.onCallAt(at);
        return {
          id: s.id,
          name: s.name ?? s.id,
          onCall: onCall === null ? null : { id: onCall, name: name(onCall) },
          layers: view.layersAt(at).map((l) => ({ layer: l.layer, override: l.override, person: l.personId === null ? null : { id: l.personId, name: name(l.personId) }, until: l.until?.toISOString() ?? null })),
          nextHandoff: h === null ? null : { at: h.at.toISOString(), from: h.from, to: h.to },
        };
      }),
    };
  });

  app.post('/oncall/overrides', async (request, reply) => {
    const b = (request.body ?? {}) as { person?: unknown; schedule?: unknown; start?: unknown; end?: unknown; minutes?: unknown };
    const now = o.clock.now();
    const { config } = await o.config.load(now);
    if (typeof b.person !== 'string' || !config.people.some((p) => p.id === b.person))
      throw new HttpError(404, 'ONCALL_ERR_NOT_FOUND', 'person: expected the id of a configured person');
    if (b.schedule !== undefined && (typeof b.schedule !== 'string' || !config.schedules.some((s) => s.id === b.schedule)))
      throw new HttpError(404, 'ONCALL_ERR_NOT_FOUND', 'schedule: expected the id of a configured schedule');
    const start = b.start === undefined ? now : parseInstant(b.start, 'start');
    let end: Date;
    if (b.end !== undefined) end = parseInstant(b.end, 'end');
    else if (typeof b.minutes === 'number' && b.minutes > 0 && b.minutes <= 60 * 24 * 31) end = new Date(start.getTime() + b.minutes * 60_000);
    else throw new HttpError(400, 'ONCALL_ERR_INVALID_INPUT', 'end or minutes (1–44640): expected one of them');
    if (end.getTime() <= start.getTime()) throw new HttpError(400, 'ONCALL_ERR_INVALID_INPUT', 'end: expected a time after start');
    const stored = await o.settings.addOverride({ scheduleId: typeof b.schedule === 'string' ? b.schedule : null, personId: b.person, start, end, createdBy: apiActor });
    return reply.status(201).send({ id: stored.id, person: stored.personId, schedule: stored.scheduleId, start: stored.start.toISOString(), end: stored.end.toISOString(), createdBy: stored.createdBy });
  });

  app.get('/oncall/incidents/:id/history', async (request) => {
    const id = Number((request.params as { id: string }).id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(400, 'ONCALL_ERR_INVALID_INPUT', 'id: expected a positive integer');
    if (!o.escalation) throw new HttpError(404, 'ONCALL_ERR_NOT_FOUND', 'escalation is not configured');
    const entries = await o.escalation.history(id);
    return { incidentId: id, entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
  });
};
