/**
 * Wiring of on-call escalation: configuration (ONCALL_CONFIG + API changes), the escalation service
 * subscribed to incident changes, the due-step worker, and the notifier that turns escalation
 * actions into outbox rows (notes, mentions, DMs) or webhook pages.
 */
import type { Logger } from 'pino';
import type { IncidentPort, OncallPort } from '../chat/commands/index.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/index.js';
import type { Mount } from '../http/build-server.js';
import { oncallRoutes } from '../http/routes/oncall.js';
import {
  EscalationService,
  EscalationWorker,
  NoteBuilder,
  OncallConfigSource,
  OncallDirectory,
  StepExecutor,
  WebhookPager,
  emptyOncallConfig,
  loadOncallConfig,
  type EscalationNotifier,
} from '../oncall/index.js';
import type { Store } from '../main.js';
import { DrizzleEscalationStore } from '../store/repos/oncall-escalation-repo.js';
import { DrizzleOncallSettingsStore } from '../store/repos/oncall-settings-repo.js';
import type { Alerting } from './alerting.js';

export interface Oncall {
  readonly directory: OncallPort;
  readonly mount: Mount;
  /** The incident port with escalation actions merged into each incident's audit trail. */
  withEscalationHistory(port: IncidentPort): IncidentPort;
  start(): void;
  stop(): Promise<void>;
}

/** `slack:C0123` → `{platform: 'slack', destination: 'C0123'}` (notify_channel targets in YAML). */
function parseTarget(target: string): { platform: string; destination: string } {
  const colon = target.indexOf(':');
  return colon < 0 ? { platform: 'log', destination: target } : { platform: target.slice(0, colon), destination: target.slice(colon + 1) };
}

export async function createOncall(config: Config, store: Store, alerting: Alerting, logger: Logger, clock: Clock): Promise<Oncall> {
  const log = logger.child({ module: 'oncall' });
  const base = config.oncallConfigFile ? await loadOncallConfig(config.oncallConfigFile) : emptyOncallConfig();
  const escalationStore = new DrizzleEscalationStore(store.handle.db);
  const settings = new DrizzleOncallSettingsStore(store.handle.db);
  const source = new OncallConfigSource(base, settings);
  const notes = new NoteBuilder(config.locale, config.displayTimeZone);
  const pager = new WebhookPager({ timeoutMs: 10_000 });
  const planner = alerting.planner;
  const notifier: EscalationNotifier = {
    async notifyChannel(incident, targets, note, key) {
      await planner.enqueueNote(incident.id, targets ? targets.map(parseTarget) : null, note, key);
    },
    // The note carries the mentions; renderers put them in the message text so they notify.
    async mentionInChannel(incident, _mentions, note, key) {
      await planner.enqueueNote(incident.id, null, note, key);
    },
    async directMessage(person, note, key) {
      if (person.slackUserId) await planner.enqueueDirectMessage('slack', person.slackUserId, note, `${key}-slack`);
      if (person.discordUserId) await planner.enqueueDirectMessage('discord', person.discordUserId, note, `${key}-discord`);
    },
    page: (incident, webhook, request) => pager.page(incident, webhook, request),
  };
  const executor = new StepExecutor({ store: escalationStore, notifier, config: source, notes, incidents: alerting.incidentStore });
  const worker = new EscalationWorker({ store: escalationStore, executor, clock, logger: log });
  const escalation = new EscalationService({ store: escalationStore, config: source, clock, notes, logger: log });
  alerting.incidents.onChange(escalation.listener);
  return {
    directory: new OncallDirectory(source, settings, config.locale, clock),
    mount: { plugin: oncallRoutes, options: { config: source, settings, clock, escalation } },
    withEscalationHistory(port) {
      return {
        ...port,
        async audit(id) {
          const [incidentAudit, escalationLog] = await Promise.all([port.audit(id), escalation.history(id)]);
          return [...incidentAudit, ...escalationLog].sort((a, b) => b.at.getTime() - a.at.getTime());
        },
      };
    },
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}
