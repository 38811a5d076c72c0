/**
 * Wiring of the alert subsystem: incident service, engine fed by stored registration events,
 * outbox planner and one outbox worker per delivery (log always; Slack/Discord when configured).
 */
import type { Logger } from 'pino';
import {
  AlertEngine,
  AlertViewBuilder,
  IncidentService,
  LineDirectory,
  LogDelivery,
  OutboxPlanner,
  OutboxWorker,
  loadAlertRouter,
  type AlertRouter,
  type ChatDelivery,
  type Incident,
} from '../alerts/index.js';
import type { ChannelScope, IncidentPort } from '../chat/commands/index.js';
import type { Config } from '../config.js';
import type { Clock, StoredRegistrationEvent } from '../domain/index.js';
import type { Store } from '../main.js';
import type { RegistrationWriter } from '../store/index.js';
import { DrizzleIncidentRepo } from '../store/repos/incident-repo.js';
import { DrizzleOutboxRepo } from '../store/repos/outbox-repo.js';

export interface Alerting {
  readonly incidents: IncidentService;
  readonly incidentStore: DrizzleIncidentRepo;
  readonly engine: AlertEngine;
  readonly planner: OutboxPlanner;
  readonly views: AlertViewBuilder;
  readonly router: AlertRouter;
  readonly incidentPort: IncidentPort;
  readonly channelScope: ChannelScope;
  /** Feeds events stored outside the registrar (external ingest) to the engine. */
  ingest(events: readonly StoredRegistrationEvent[]): void;
  /** Starts one outbox worker per delivery and the engine's ticker. */
  start(deliveries: readonly ChatDelivery[]): Promise<void>;
  stop(): Promise<void>;
}

/** Stored events wait up to this long to join one engine pass (of the 1 s alert budget). */
const ENGINE_PASS_DELAY_MS = 50;

export function createAlerting(config: Config, store: Store, writer: RegistrationWriter, logger: Logger, clock: Clock): Alerting {
  const db = store.handle.db;
  const incidentRepo = new DrizzleIncidentRepo(store.handle);
  const outboxRepo = new DrizzleOutboxRepo(db);
  const log = logger.child({ module: 'alerts' });
  const views = new AlertViewBuilder({ locale: config.locale, timeZone: config.displayTimeZone });
  const incidents = new IncidentService({ store: incidentRepo, clock, logger: log });
  const router = loadAlertRouter(config.alerts.routesFile, {
    ...(config.slack?.alertChannel ? { slackChannel: config.slack.alertChannel } : {}),
    ...(config.discord?.alertChannelId ? { discordChannel: config.discord.alertChannelId } : {}),
  });
  const planner = new OutboxPlanner({ store: outboxRepo, router, views, clock });
  // The planner subscribes first: an incident's message exists before anyone escalates it.
  const workers: OutboxWorker[] = [];
  incidents.onChange(async (change) => {
    await planner.handle(change);
    for (const worker of workers) worker.wake();
  });
  const engine = new AlertEngine({
    incidents,
    store: incidentRepo,
    events: store.events,
    bindings: store.bindings,
    directory: new LineDirectory(store.uniques, store.circles),
    clock,
    locale: config.locale,
    timeZone: config.displayTimeZone,
    minExpires: config.sip.minExpires,
    logger: log,
    thresholds: { deregisterGraceSeconds: config.alerts.deregisterGraceSeconds, restartGraceSeconds: config.alerts.restartGraceSeconds },
    passDelayMs: ENGINE_PASS_DELAY_MS,
  });
  writer.onStored(engine.listener);

  let ticker: NodeJS.Timeout | null = null;

  const incidentPort: IncidentPort = {
    openForUnique: (unique) => incidents.openForUnique(unique),
    acknowledge: (id, actor) => incidents.acknowledge(id, actor),
    resolve: (id, actor) => incidents.resolve(id, actor),
    snooze: (id, until, actor) => incidents.snooze(id, until, actor),
    async get(id): Promise<Incident | null> {
      try {
        return await incidents.get(id);
      } catch (err) {
        if ((err as { code?: string }).code === 'ALERT_ERR_INCIDENT_NOT_FOUND') return null;
        throw err;
      }
    },
    audit: (id) => incidents.audit(id),
    alertView: (incident) => views.build(incident),
  };

  const channelScope: ChannelScope = {
    allowedAccounts(platform, channelId) {
      if (platform === 'cli' || channelId === null) return 'all';
      const account = router.restrictionOf(platform, channelId);
      return account ? new Set([account]) : 'all';
    },
  };

  return {
    incidents,
    incidentStore: incidentRepo,
    engine,
    planner,
    views,
    router,
    incidentPort,
    channelScope,
    // The engine reads from its durable cursor; stored events only wake it.
    ingest: () => engine.listener(),
    async start(deliveries) {
      await engine.wake(); // catch up from the durable cursor: nothing stored while down is skipped
      for (const delivery of [new LogDelivery(log), ...deliveries]) {
        const worker = new OutboxWorker({
          outbox: outboxRepo,
          incidents: incidentRepo,
          delivery,
          views,
          clock,
          logger: log,
          ...(delivery.platform === 'log' ? { perDestinationIntervalMs: 0 } : {}),
        });
        worker.start();
        workers.push(worker);
      }
      // Five ticks a second decide due deregistrations (the alert is due 1 s after expiry + grace);
      // every fifth is the full tick: at-risk, windows, snooze ends (the engine ticks the incident service).
      let ticks = 0;
      ticker = setInterval(() => {
        const full = ticks++ % 5 === 0;
        (full ? engine.tick() : engine.decideDue()).catch((err: unknown) => log.error({ err }, 'alert engine tick failed'));
      }, 200);
      ticker.unref();
    },
    async stop() {
      if (ticker) clearInterval(ticker);
      await engine.idle(); // a pass waiting out ENGINE_PASS_DELAY_MS runs now, while the store is open
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
