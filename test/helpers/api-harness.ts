/**
 * A real API stack on a fresh test database, for `app.inject()` tests.
 */
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { CredentialCache, LineQueries, Provisioning } from '../../src/app/index.js';
import { createTimeFormatter, type Clock } from '../../src/domain/index.js';
import { buildServer, type Mount } from '../../src/http/build-server.js';
import { provisioningRoutes } from '../../src/http/routes/provisioning.js';
import { statusRoutes } from '../../src/http/routes/status.js';
import {
  DrizzleAccountRepo,
  DrizzleBindingRepo,
  DrizzleCircleRepo,
  DrizzleEventRepo,
  DrizzleUniqueRepo,
  RegistrationWriter,
} from '../../src/store/index.js';
import { openTestDb, type TestDbKind, type TestDb } from './test-db.js';

export const TEST_API_TOKEN = 'test-token-0123456789abcdef';
export const TEST_REALM = 'sip.test.example';

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly db: TestDb;
  readonly credentialCache: CredentialCache;
  readonly provisioning: Provisioning;
  readonly lineQueries: LineQueries;
  readonly writer: RegistrationWriter;
  readonly events: DrizzleEventRepo;
  readonly auth: { authorization: string };
  close(): Promise<void>;
}

export async function startApiHarness(
  options: { kind?: TestDbKind; clock?: Clock; extraApi?: Mount[]; apiToken?: string | undefined } = {},
): Promise<ApiHarness> {
  const db = await openTestDb(options.kind ?? 'pglite');
  const clock = options.clock ?? { now: () => new Date() };
  const uniques = new DrizzleUniqueRepo(db.db);
  const circles = new DrizzleCircleRepo(db.db);
  const events = new DrizzleEventRepo(db);
  const credentialCache = new CredentialCache(TEST_REALM);
  const provisioning = new Provisioning({
    accounts: new DrizzleAccountRepo(db.db),
    circles,
    uniques,
    credentialCache,
    clock,
    realm: TEST_REALM,
    defaultLoginServer: TEST_REALM,
  });
  const fmt = createTimeFormatter('en', 'Asia/Tokyo');
  const lineQueries = new LineQueries({
    uniques,
    circles,
    bindings: new DrizzleBindingRepo(db),
    events,
    clock,
    locale: 'en',
    minExpires: 60,
    servedLoginServers: new Set([TEST_REALM]),
    formatTime: fmt.dateTime,
  });
  const app = await buildServer({
    apiToken: 'apiToken' in options ? options.apiToken : TEST_API_TOKEN,
    registry: new Registry(),
    readiness: [{ name: 'database', check: async () => ({ ok: await db.ping() }) }],
    api: [
      { plugin: provisioningRoutes, options: { provisioning } },
      { plugin: statusRoutes, options: { lineQueries, retention: { eventDays: 90, refreshDays: 7 } } },
      ...(options.extraApi ?? []),
    ],
  });
  const writer = new RegistrationWriter({ query: db.query });
  return {
    app,
    db,
    credentialCache,
    provisioning,
    lineQueries,
    writer,
    events,
    auth: { authorization: `Bearer ${TEST_API_TOKEN}` },
    async close() {
      await app.close();
      await writer.stop();
      await db.dispose();
    },
  };
}
