import { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/http/build-server.js';
import { oncallRoutes } from '../../../src/http/routes/oncall.js';
import { OncallDirectory, OncallConfigSource, parseOncallYaml } from '../../../src/oncall/index.js';
import { openTestDb, type TestDb } from '../../helpers/test-db.js';
import { buildOncall, incident, sato, TestClock, yamlFor } from './harness.js';

const T0 = new Date('2026-11-26T01:00:00Z'); // Thursday 10:00 JST
const TOKEN = 'test-token-0123456789';

describe('OncallDirectory and /api/v1/oncall', () => {
  let db: TestDb;
  let app: FastifyInstance | null = null;
  beforeEach(async () => {
    db = await openTestDb('pglite');
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    await db.dispose();
  });

  it('describe(now): on-call per schedule and layer, next handoff, localized policy steps', async () => {
    const o = buildOncall(db.db, new TestClock(T0), yamlFor('http://127.0.0.1:9/x'), 'w');
    const d = await o.directory.describe(T0);
    expect(d.schedules).toEqual([
      {
        schedule: 'Primary',
        layers: [
          { layer: 'main', person: 'Aoi', until: new Date('2026-11-27T00:00:00Z'), override: false },
          { layer: 'backup', person: 'Chika', until: new Date('2026-11-30T01:00:00Z'), override: false },
        ],
      },
    ]);
    expect(d.nextHandoff).toEqual({ at: new Date('2026-11-27T00:00:00Z'), schedule: 'Primary', from: 'Aoi', to: 'Ben' });
    expect(d.policies[0]!.name).toBe('Line alerts');
    expect(d.policies[0]!.steps.slice(0, 3)).toEqual(['1. Notify the channel', '2. Wait 5 min', '3. Mention the on-call person of Primary in the channel']);
    const ja = new OncallDirectory(o.config, o.settings, 'ja', { now: () => T0 });
    expect((await ja.describe(T0)).policies[0]!.steps[1]).toBe('2. 5 分待つ');
  });

  it('override(person, minutes, actor) puts the person on call, recorded with who did it', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor('http://127.0.0.1:9/x'), 'w');
    expect(await o.directory.override('nobody', 60, sato)).toEqual({ ok: false, reason: 'person_not_found', candidates: [] });
    const result = await o.directory.override('<@U0BEN>', 120, sato);
    expect(result).toEqual({ ok: true, person: 'Ben', schedule: 'Primary', startsAt: T0, endsAt: new Date('2026-11-26T03:00:00Z') });
    const d = await o.directory.describe(T0);
    expect(d.schedules[0]!.layers[0]).toEqual({ layer: 'override', person: 'Ben', until: new Date('2026-11-26T03:00:00Z'), override: true });
    expect((await o.settings.activeOverrides(T0))[0]!.createdBy).toEqual(sato);
    // The override is used by a running escalation's mention step.
    await o.emit({ type: 'incident.opened', incident: incident(60) });
    await o.runAt(T0);
    await o.runAt(new Date(T0.getTime() + 5 * 60_000));
    expect(o.notifier.calls.map((c) => `${c.kind}:${c.who}`)).toEqual(['channel:', 'mention:Ben']);
  });

  it('HTTP: read and replace sections, who is on call at T, overrides, history; errors name the field', async () => {
    const clock = new TestClock(T0);
    const o = buildOncall(db.db, clock, yamlFor('http://127.0.0.1:9/x'), 'w');
    app = await buildServer({
      apiToken: TOKEN,
      registry: new Registry(),
      readiness: [],
      api: [{ plugin: oncallRoutes, options: { config: o.config, settings: o.settings, clock, escalation: o.service } }],
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const people = await app.inject({ method: 'GET', url: '/api/v1/oncall/people', headers: auth });
    expect(people.statusCode).toBe(200);
    expect(people.json().people.map((p: { id: string }) => p.id)).toEqual(['aoi', 'ben', 'chika']);

    const now = await app.inject({ method: 'GET', url: '/api/v1/oncall/now?at=2026-11-27T00:30:00Z', headers: auth });
    expect(now.json().schedules[0]).toMatchObject({ id: 'primary', onCall: { id: 'ben', name: 'Ben' }, nextHandoff: { at: '2026-11-28T00:00:00.000Z', from: 'ben', to: 'aoi' } });

    const bad = await app.inject({ method: 'PUT', url: '/api/v1/oncall/people', headers: auth, payload: [{ id: 'aoi', name: 'Aoi' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toEqual({ code: 'ONCALL_ERR_CONFIG_INVALID', message: expect.stringContaining('schedules[0].layers[0].participants[0]: unknown person "chika"') });
    const badStep = await app.inject({ method: 'PUT', url: '/api/v1/oncall/policies', headers: auth, payload: { policies: [{ id: 'p', steps: [{ type: 'wait', minutes: 0 }] }] } });
    expect(badStep.json().error.message).toBe('escalation_policies[0].steps[0].minutes: expected a positive number');

    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/oncall/policies',
      headers: auth,
      payload: [{ id: 'only', name: 'Only channel', steps: [{ type: 'notify_channel' }] }],
    });
    expect(put.statusCode).toBe(200);
    // A fresh config source (another instance) sees the stored section.
    const other = new OncallConfigSource(parseOncallYaml(yamlFor('http://127.0.0.1:9/x')), o.settings);
    expect((await other.load(T0)).config.escalation_policies.map((p) => p.id)).toEqual(['only']);

    const ov = await app.inject({ method: 'POST', url: '/api/v1/oncall/overrides', headers: auth, payload: { person: 'chika', schedule: 'primary', minutes: 30 } });
    expect(ov.statusCode).toBe(201);
    expect(ov.json()).toMatchObject({ person: 'chika', schedule: 'primary', start: T0.toISOString(), end: '2026-11-26T01:30:00.000Z', createdBy: { source: 'api' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/oncall/overrides', headers: auth, payload: { person: 'zed', minutes: 30 } });
    expect(unknown.statusCode).toBe(404);

    await o.emit({ type: 'incident.opened', incident: incident(61) });
    await o.runAt(T0);
    const history = await app.inject({ method: 'GET', url: '/api/v1/oncall/incidents/61/history', headers: auth });
    expect(history.json().entries.map((e: { type: string }) => e.type)).toEqual(['escalation.started', 'step.notify_channel', 'escalation.exhausted']);
    expect((await app.inject({ method: 'GET', url: '/api/v1/oncall/people' })).statusCode).toBe(401);
  });
});
