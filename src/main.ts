/**
 * Composition root: the only file that wires concrete dependencies together.
 * `bin/linewatch.js` calls {@link cli}; `linewatch serve` calls {@link startLinewatch}.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CredentialCache, LineQueries, Provisioning } from './app/index.js';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createTimeFormatter, systemClock, type Clock } from './domain/index.js';
import { buildServer, type Mount } from './http/build-server.js';
import { provisioningRoutes } from './http/routes/provisioning.js';
import { statusRoutes } from './http/routes/status.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createSipServer, type SipServer } from './sip/index.js';
import {
  DrizzleAccountRepo,
  DrizzleBindingRepo,
  DrizzleCircleRepo,
  DrizzleEventRepo,
  DrizzleUniqueRepo,
  RegistrationWriter,
  TableStatistics,
  EventRetention,
  createDb,
  isDatabaseUnavailable,
  migrateDb,
  type DbHandle,
} from './store/index.js';
import { acquireDataDirLock, type DataDirLock } from './store/data-dir-lock.js';
import { runCli } from './cli/run-cli.js';
import { EventIngest, loadLoginServers, type LoginServers } from './external/index.js';
import { ingestRoutes } from './http/routes/ingest.js';
import { incidentRoutes } from './http/routes/incidents.js';
import { CommandService } from './chat/commands/index.js';
import { createAlerting, type Alerting } from './compose/alerting.js';
import { createChatPlatforms } from './compose/chat.js';
import { createOncall } from './compose/oncall.js';

/** Repositories and use cases over one database: shared by `serve` and the CLI. */
export interface Store {
  readonly handle: DbHandle;
  readonly accounts: DrizzleAccountRepo;
  readonly circles: DrizzleCircleRepo;
  readonly uniques: DrizzleUniqueRepo;
  readonly bindings: DrizzleBindingRepo;
  readonly events: DrizzleEventRepo;
  readonly credentialCache: CredentialCache;
  readonly provisioning: Provisioning;
  readonly lineQueries: LineQueries;
  /** External login servers (LOGIN_SERVERS_CONFIG), asked on demand; null when not configured. */
  readonly loginServers: LoginServers | null;
  close(): Promise<void>;
}

/**
 * How long an API request or a chat command may take before its user is told the database is not
 * answering: well above a normal answer (`/circle status` of 500 lines: ~40 ms, README Benchmarks)
 * and above one live query of an external login server (its own `timeoutMs` bounds that part).
 */
const DEADLINE_BASE_MS = 15_000;

const BIN = fileURLToPath(new URL('../bin/linewatch.js', import.meta.url));

/**
 * PGlite's first start runs initdb inside WASM and keeps ~800 MB it never returns (bench-facts.md);
 * doing that in a short-lived child keeps the serving process near 300 MB.
 */
function initialiseEmbeddedInChild(dataDir: string, logger: Logger): void {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  logger.info({ dataDir }, 'initialising the embedded database (first start)');
  const child = spawnSync(process.execPath, [BIN, 'migrate'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DATA_DIR: dataDir } });
  if (child.status !== 0) throw new Error(`initialising the embedded database in ${dataDir} failed (exit ${child.status})`);
}

export async function openStore(config: Config, options: { logger: Logger; clock?: Clock; migrate?: boolean }): Promise<Store> {
  const clock = options.clock ?? systemClock;
  const handle =
    config.database.kind === 'postgres'
      ? await createDb({ kind: 'postgres', url: config.database.url })
      : await createDb({ kind: 'pglite', dataDir: resolve(config.database.dataDir), sharedBuffersMb: config.database.sharedBuffersMb });
  if (options.migrate ?? true) await migrateDb(handle);
  const accounts = new DrizzleAccountRepo(handle.db);
  const circles = new DrizzleCircleRepo(handle.db);
  const uniques = new DrizzleUniqueRepo(handle.db);
  const bindings = new DrizzleBindingRepo(handle);
  const events = new DrizzleEventRepo(handle);
  const credentialCache = new CredentialCache(config.sip.realm);
  const formatter = createTimeFormatter(config.locale, config.displayTimeZone);
  const provisioning = new Provisioning({
    accounts,
    circles,
    uniques,
    credentialCache,
    clock,
    realm: config.sip.realm,
    defaultLoginServer: config.sip.domain,
  });
  const loginServers = config.loginServersFile
    ? await loadLoginServers(config.loginServersFile, { locale: config.locale, clock, sipDomain: config.sip.domain })
    : null;
  const lineQueries = new LineQueries({
    uniques,
    circles,
    bindings,
    events,
    clock,
    locale: config.locale,
    minExpires: config.sip.minExpires,
    servedLoginServers: new Set([...config.sip.servedDomains, ...(loginServers?.served ?? [])]),
    ...(loginServers ? { external: loginServers.external } : {}),
    formatTime: formatter.dateTime,
  });
  return { handle, accounts, circles, uniques, bindings, events, credentialCache, provisioning, lineQueries, loginServers, close: () => handle.close() };
}

export interface Linewatch {
  readonly config: Config;
  readonly store: Store;
  readonly sip: SipServer;
  readonly http: FastifyInstance;
  readonly writer: RegistrationWriter;
  readonly alerting: Alerting;
  readonly ports: { readonly sip: number; readonly http: number };
  stop(): Promise<void>;
}

/** Starts registrar, HTTP server and chat adapters; resolves when everything listens. */
export async function startLinewatch(config: Config, logger: Logger): Promise<Linewatch> {
  let lock: DataDirLock | null = null;
  if (config.database.kind === 'pglite') {
    const dataDir = resolve(config.database.dataDir);
    lock = acquireDataDirLock(dataDir, config.http);
    initialiseEmbeddedInChild(dataDir, logger);
  }
  const store = await openStore(config, { logger });
  // Planner statistics of the hot tables, also where autovacuum does not run (PGlite, some servers).
  const statistics = new TableStatistics({ query: store.handle.query, logger: logger.child({ module: 'store' }) });
  statistics.start();
  const metrics = createMetrics();
  // Old registration events go (README "History retention"); the newest of each type of a line stays.
  const retention = new EventRetention({
    query: store.handle.query,
    driver: store.handle.driver,
    retention: config.retention,
    logger: logger.child({ module: 'store' }),
    metrics: metrics.retention,
  });
  retention.start();
  const loaded = await store.credentialCache.load(store.uniques);
  const writer = new RegistrationWriter({ query: store.handle.commitQuery, reconnect: () => store.handle.resetCommit(), metrics: metrics.writer, logger });
  const sip = createSipServer({
    host: config.sip.host,
    port: config.sip.port,
    domain: config.sip.domain,
    realm: config.sip.realm,
    servedDomains: config.sip.servedDomains,
    minExpires: config.sip.minExpires,
    maxExpires: config.sip.maxExpires,
    defaultExpires: config.sip.defaultExpires,
    maxBindingsPerAor: config.sip.maxBindingsPerUnique,
    // Without a configured secret, nonces from before a restart fail verification and phones are
    // simply challenged again (one extra round trip), which RFC 3261 §22.4 allows.
    nonceSecret: config.sip.nonceSecret ?? randomBytes(32),
    nonceLifetimeSeconds: 300,
    digestAlgorithms: config.sip.digestAlgorithms,
    credentials: store.credentialCache,
    delegate: { persist: (commit) => writer.persist(commit) },
    metrics: metrics.sip,
    logger: logger.child({ module: 'sip' }),
    restoreGraceSeconds: config.alerts.restartGraceSeconds,
    abuse: config.sip.abuse,
    tcp: { idleTimeoutMs: config.sip.tcpIdleTimeoutSeconds * 1000 },
  });
  const restoredAt = new Date();
  const persisted = await store.bindings.listAll();
  const restored = sip.restoreBindings(persisted, restoredAt);
  // The registrar keeps lapsed bindings for RESTART_GRACE_S: store the expiry it gave them, so the
  // status API and everything reading the bindings table agree with it during the grace window.
  const lapsed = persisted
    .filter((b) => b.expiresAt.getTime() <= restoredAt.getTime())
    .flatMap((b) => sip.bindingsOf(b.unique).filter((held) => held.contact === b.contact));
  if (lapsed.length > 0) await writer.persist({ upserts: lapsed, removals: [], events: [] });
  const sipPorts = await sip.start();

  const alerting = createAlerting(config, store, writer, logger, systemClock);
  const oncall = await createOncall(config, store, alerting, logger, systemClock);
  const deadlineMs = DEADLINE_BASE_MS + (store.loginServers?.longestTimeoutMs ?? 0);
  const chatService = new CommandService({
    queries: store.lineQueries,
    uniques: store.uniques,
    circles: store.circles,
    events: store.events,
    incidents: oncall.withEscalationHistory(alerting.incidentPort),
    oncall: oncall.directory,
    scope: alerting.channelScope,
    clock: systemClock,
    locale: config.locale,
    timeZone: config.displayTimeZone,
    logger: logger.child({ module: 'chat' }),
    deadlineMs,
    isUnavailable: isDatabaseUnavailable,
    retention: config.retention,
    live: sip,
  });
  const chat = await createChatPlatforms(config, chatService, logger);
  const ingest = new EventIngest({
    sink: {
      // Events of external registrars feed history and alerts exactly like the built-in registrar's.
      async append(events) {
        const stored = await store.events.append(events);
        alerting.ingest(stored);
        return stored;
      },
    },
    loginServers: store.loginServers?.external ?? { isExternal: () => false },
    clock: systemClock,
  });
  const api: Mount[] = [
    { plugin: provisioningRoutes, options: { provisioning: store.provisioning } },
    { plugin: statusRoutes, options: { lineQueries: store.lineQueries, retention: config.retention } },
    { plugin: ingestRoutes, options: { ingest, path: '/ingest/events' } },
    { plugin: incidentRoutes, options: { incidents: alerting.incidents } },
    oncall.mount,
  ];
  const http = await buildServer({
    apiToken: config.http.apiToken,
    registry: metrics.registry,
    loggerInstance: logger.child({ module: 'http' }),
    docs: true,
    readiness: [
      { name: 'database', check: async () => ({ ok: await store.handle.ping() }) },
      { name: 'database_writes', check: async () => ({ ok: !writer.degraded, detail: writer.degraded ? `degraded; ${writer.queuedRows} rows queued` : 'ok' }) },
      { name: 'registrar', check: async () => ({ ok: sip.isBound() }) },
    ],
    api,
    root: chat.mounts,
    apiDeadlineMs: deadlineMs,
    isUnavailable: isDatabaseUnavailable,
  });
  await http.listen({ host: config.http.host, port: config.http.port });
  await alerting.start(chat.deliveries);
  oncall.start();
  await chat.start();
  const httpPort = (http.server.address() as { port: number }).port;
  logger.info(
    { sipPort: sipPorts.udpPort, httpPort, database: store.handle.driver, credentials: loaded, restoredBindings: restored, apiEnabled: Boolean(config.http.apiToken) },
    'linewatch is running',
  );

  let stopping: Promise<void> | null = null;
  return {
    config,
    store,
    sip,
    http,
    writer,
    alerting,
    ports: { sip: sipPorts.udpPort, http: httpPort },
    stop() {
      stopping ??= (async () => {
        await chat.stop();
        await http.close();
        await sip.stop();
        await writer.stop();
        await oncall.stop();
        await alerting.stop();
        await statistics.stop();
        await retention.stop();
        await store.close();
        lock?.release();
        logger.info({}, 'linewatch stopped');
      })();
      return stopping;
    },
  };
}

/** Entry point of the `linewatch` binary. */
export async function cli(argv: readonly string[]): Promise<number> {
  return runCli(argv, {
    loadConfig: () => {
      try {
        return loadConfig();
      } catch (err) {
        if (err instanceof ConfigError) {
          process.stderr.write(`${err.message}\n`);
          process.exit(2);
        }
        throw err;
      }
    },
    createLogger,
    startLinewatch,
    openStore,
  });
}
