/**
 * The platform-neutral command layer: parse → authorise (channel scope) → run the use case →
 * build a localized view model. Slack, Discord and the CLI call this through `ChatService`.
 *
 * Channel scope: a channel restricted to some accounts answers "does not exist" for every line,
 * circle and incident of other accounts, exactly as for numbers that do not exist, so nothing
 * leaks. Every failure becomes an `ErrorReply`; nothing but an `ErrorReply` reaches the adapter.
 */
import {
  SNOOZE_CHOICES_MINUTES,
  type Incident,
} from '../../alerts/index.js';
import {
  circleNotFound,
  uniqueNotFound,
  type CircleRepo,
  type Clock,
  type EventRepo,
  type HistoryRetention,
  type Locale,
  type UniqueRepo,
} from '../../domain/index.js';
import { DeadlineExceededError, withDeadline, type LineQueries } from '../../app/index.js';
import { mapWithConcurrency } from '../../async/index.js';
import type { AlertAction, ChatCommand, ChatContext } from './chat-command.js';
import type { ActionReply, ChatReply, LineHistoryReply } from './chat-reply.js';
import type { ChatService, ParsedCommand } from './chat-service.js';
import { completeNumbers } from './autocomplete.js';
import { buildCircleStatusReply, clampPage, CIRCLE_PAGE_SIZE, type CircleLine } from './circle-reply.js';
import { errorReply, knownErrorReply } from './error-reply.js';
import { ChatError } from './errors.js';
import { ReplyFormat } from './labels.js';
import { buildLineHistoryReply, buildLineStatusReply, type OpenIncidentSummary } from './line-replies.js';
import { buildLineWhyReply } from './line-why.js';
import { chatMessages as m } from './messages.js';
import { buildHelpReply, buildOncallReply, buildOverrideReply } from './oncall-reply.js';
import { parseCommandText } from './parse-command.js';
import { unrestrictedScope, type ChannelScope, type IncidentAuditEntry, type IncidentPort, type LiveRegistrations, type OncallPort } from './ports.js';

/** Default `/line history` length. */
export const DEFAULT_HISTORY_LIMIT = 20;
/** External login servers asked at once by `/circle status … query`. */
export const EXTERNAL_QUERY_CONCURRENCY = 4;
/** Open incidents whose audit log `/line history` includes. */
const HISTORY_INCIDENT_LIMIT = 10;

export interface CommandLogger {
  error(obj: object, msg: string): void;
}

export interface CommandServiceDeps {
  readonly queries: LineQueries;
  readonly uniques: UniqueRepo;
  readonly circles: CircleRepo;
  readonly events: EventRepo;
  /** Absent without the alert engine: no open incidents shown, alert buttons answer "not found". */
  readonly incidents?: IncidentPort | undefined;
  /** Absent without ONCALL_CONFIG: `/oncall` explains that on-call is not configured. */
  readonly oncall?: OncallPort | undefined;
  /** Default: every channel sees every account. */
  readonly scope?: ChannelScope | undefined;
  readonly clock: Clock;
  readonly locale: Locale;
  /** DISPLAY_TZ */
  readonly timeZone: string;
  readonly logger: CommandLogger;
  /**
   * A command or button unanswered after this long answers `CHAT_ERR_UNAVAILABLE` (default: no
   * bound). Not applied to `/circle status … query`, which asks login servers line by line.
   */
  readonly deadlineMs?: number | undefined;
  /** The registrar's bindings in memory: `/line status` and `/line why` still say whether a phone is registered while the database is unavailable. */
  readonly live?: LiveRegistrations | undefined;
  /** How long events are kept, for `/line history`'s note (default: kept for good). */
  readonly retention?: HistoryRetention | undefined;
  /** Errors that mean "the database cannot answer now": `CHAT_ERR_UNAVAILABLE` instead of internal. */
  readonly isUnavailable?: ((err: unknown) => boolean) | undefined;
}

export class CommandService implements ChatService {
  private readonly scope: ChannelScope;

  constructor(private readonly deps: CommandServiceDeps) {
    this.scope = deps.scope ?? unrestrictedScope;
  }

  parse(commandName: string, text: string): ParsedCommand {
    return parseCommandText(commandName, text, this.deps.locale);
  }

  async execute(command: ChatCommand, ctx: ChatContext): Promise<ChatReply> {
    try {
      const bulk = command.name === 'circle.status' && command.queryUnknown === true;
      return await withDeadline(this.dispatch(command, ctx), bulk ? undefined : this.deps.deadlineMs);
    } catch (err) {
      const line = command.name === 'line.status' || command.name === 'line.why' ? { unique: command.unique, ctx } : undefined;
      return this.fail(err, { command: command.name, platform: ctx.platform }, { line });
    }
  }

  private async dispatch(command: ChatCommand, ctx: ChatContext): Promise<ChatReply> {
    const f = this.format();
    switch (command.name) {
      case 'line.status':
        return await this.lineStatus(command.unique, ctx, f);
      case 'line.history':
        return await this.lineHistory(command.unique, command.limit ?? DEFAULT_HISTORY_LIMIT, ctx, f);
      case 'line.why':
        return await this.lineWhy(command.unique, ctx, f);
      case 'line.help':
        return buildHelpReply(f);
      case 'circle.status':
        return await this.circleStatus(command, ctx, f);
      case 'oncall.show':
        return await this.oncallShow(ctx, f);
      case 'oncall.override':
        return await this.oncallOverride(command.person, command.durationMinutes, ctx, f);
      default: {
        const never: never = command;
        throw new Error(`unhandled command ${JSON.stringify(never)}`);
      }
    }
  }

  async act(action: AlertAction, ctx: ChatContext): Promise<ChatReply> {
    try {
      return await withDeadline(this.runAction(action, ctx), this.deps.deadlineMs);
    } catch (err) {
      return this.fail(err, { action: action.action, incidentId: action.incidentId, platform: ctx.platform }, { incidentId: action.incidentId });
    }
  }

  private async runAction(action: AlertAction, ctx: ChatContext): Promise<ChatReply> {
    const f = this.format();
    const incidents = this.deps.incidents;
    const incident = incidents ? await incidents.get(action.incidentId) : null;
    if (!incidents || !incident || !this.incidentVisible(incident, ctx)) throw new ChatError('CHAT_ERR_INCIDENT_NOT_FOUND', { id: action.incidentId });
    const name = f.actorName(ctx.actor);
    if (action.action === 'history') return await this.incidentHistory(incident, incidents, f);
    if (incident.state === 'resolved') throw new ChatError('CHAT_ERR_INCIDENT_RESOLVED', { id: incident.id });
    let updated: Incident;
    let confirmation: string;
    switch (action.action) {
      case 'ack':
        updated = await incidents.acknowledge(incident.id, ctx.actor);
        confirmation = f.t(m.acknowledgedBy, { name });
        break;
      case 'resolve':
        updated = await incidents.resolve(incident.id, ctx.actor);
        confirmation = f.t(m.resolvedBy, { name });
        break;
      case 'snooze': {
        const minutes = action.snoozeMinutes;
        if (minutes === undefined || !(SNOOZE_CHOICES_MINUTES as readonly number[]).includes(minutes)) {
          throw new ChatError('CHAT_ERR_INVALID_SNOOZE', { choices: SNOOZE_CHOICES_MINUTES.map((n) => f.duration(n * 60)).join(', ') });
        }
        const until = new Date(f.now.getTime() + minutes * 60_000);
        updated = await incidents.snooze(incident.id, until, ctx.actor);
        confirmation = f.t(m.snoozedBy, { name, until: f.dateTime(until) });
        break;
      }
      default: {
        const never: never = action.action;
        throw new Error(`unhandled alert action ${String(never)}`);
      }
    }
    const reply: ActionReply = { kind: 'action', alert: incidents.alertView(updated), confirmation };
    return reply;
  }

  async complete(kind: 'unique' | 'circle', prefix: string, ctx: ChatContext): Promise<string[]> {
    try {
      return await completeNumbers(this.deps, kind, prefix, this.allowed(ctx));
    } catch (err) {
      this.deps.logger.error({ err, kind, platform: ctx.platform }, 'chat autocomplete failed');
      return [];
    }
  }

  private format(): ReplyFormat {
    return new ReplyFormat(this.deps.locale, this.deps.timeZone, this.deps.clock.now());
  }

  /**
   * Every failure as an `ErrorReply`. `incidentId` fills alert-error messages; `line`: the line a
   * command was about, whose live registration an "unavailable" reply adds.
   */
  private fail(err: unknown, logContext: object, about: { incidentId?: number; line?: { unique: string; ctx: ChatContext } | undefined } = {}): ChatReply {
    const { incidentId, line } = about;
    const known = knownErrorReply(err, this.deps.locale, incidentId);
    if (known) return known;
    if (err instanceof DeadlineExceededError || this.deps.isUnavailable?.(err)) {
      this.deps.logger.error({ reason: err instanceof Error ? err.message : String(err), ...logContext }, 'chat command: database unavailable');
      const f = this.format();
      const live = line ? this.liveNote(line.unique, line.ctx, f) : null;
      return errorReply('CHAT_ERR_UNAVAILABLE', live ? `${f.t(m.unavailable)}\n${live}` : f.t(m.unavailable));
    }
    this.deps.logger.error({ err, ...logContext }, 'chat command failed');
    return errorReply('CHAT_ERR_INTERNAL', this.format().t(m.internal));
  }

  /**
   * What the registrar holds in memory for a line, for when the database cannot say more. Only in
   * channels that see every account: which account a line belongs to is in the database.
   */
  private liveNote(unique: string, ctx: ChatContext, f: ReplyFormat): string | null {
    if (!this.deps.live || this.allowed(ctx) !== 'all') return null;
    const now = f.now.getTime();
    const live = this.deps.live.bindingsOf(unique).filter((b) => b.expiresAt > now);
    if (live.length === 0) return f.t(m.liveNotRegistered, { unique });
    const latest = live.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
    const bindings = live.length === 1 ? f.t(m.oneBinding) : f.t(m.bindingCount, { count: live.length });
    return f.t(m.liveRegistered, { unique, bindings, expires: f.withRelative(new Date(latest.expiresAt)), source: latest.source });
  }

  private allowed(ctx: ChatContext): ReadonlySet<string> | 'all' {
    return this.scope.allowedAccounts(ctx.platform, ctx.channelId);
  }

  private incidentVisible(incident: Incident, ctx: ChatContext): boolean {
    const allowed = this.allowed(ctx);
    return allowed === 'all' || (incident.accountLoginId !== null && allowed.has(incident.accountLoginId));
  }

  /** Throws "does not exist" for a unique outside the channel's accounts. */
  private async requireVisibleUnique(number: string, ctx: ChatContext): Promise<void> {
    const allowed = this.allowed(ctx);
    if (allowed === 'all') return;
    const unique = await this.deps.uniques.get(number);
    const circle = unique ? await this.deps.circles.get(unique.circleNumber) : null;
    if (!circle || !allowed.has(circle.accountLoginId)) throw uniqueNotFound(number);
  }

  private async requireVisibleCircle(number: string, ctx: ChatContext): Promise<void> {
    const allowed = this.allowed(ctx);
    if (allowed === 'all') return;
    const circle = await this.deps.circles.get(number);
    if (!circle || !allowed.has(circle.accountLoginId)) throw circleNotFound(number);
  }

  /** Open incidents of a unique; a failing alert store must not hide the line's status. */
  private async openIncidents(unique: string): Promise<{ incident: Incident; summary: OpenIncidentSummary }[]> {
    const incidents = this.deps.incidents;
    if (!incidents) return [];
    try {
      const open = await incidents.openForUnique(unique);
      return open.map((incident) => ({ incident, summary: { id: incident.id, title: incidents.alertView(incident).title } }));
    } catch (err) {
      this.deps.logger.error({ err, unique }, 'open incidents lookup failed');
      return [];
    }
  }

  private async lineStatus(unique: string, ctx: ChatContext, f: ReplyFormat) {
    await this.requireVisibleUnique(unique, ctx);
    const [result, open] = await Promise.all([this.deps.queries.status(unique, { queryExternal: true }), this.openIncidents(unique)]);
    return buildLineStatusReply(result, open.map((o) => o.summary), f);
  }

  private async lineHistory(unique: string, limit: number, ctx: ChatContext, f: ReplyFormat): Promise<LineHistoryReply> {
    await this.requireVisibleUnique(unique, ctx);
    const [{ events }, open] = await Promise.all([this.deps.queries.history(unique, limit), this.openIncidents(unique)]);
    const audit = await this.auditOf(open.slice(0, HISTORY_INCIDENT_LIMIT).map((o) => o.incident));
    return buildLineHistoryReply(unique, events, audit, f, this.deps.retention);
  }

  private async auditOf(incidents: readonly Incident[]): Promise<{ incidentId: number; entry: IncidentAuditEntry }[]> {
    const port = this.deps.incidents;
    if (!port) return [];
    const logs = await Promise.all(incidents.map(async (i) => (await port.audit(i.id)).map((entry) => ({ incidentId: i.id, entry }))));
    return logs.flat();
  }

  private async incidentHistory(incident: Incident, port: IncidentPort, f: ReplyFormat): Promise<LineHistoryReply> {
    const audit = (await port.audit(incident.id)).map((entry) => ({ incidentId: incident.id, entry }));
    const events = incident.unique ? (await this.deps.queries.history(incident.unique, DEFAULT_HISTORY_LIMIT)).events : [];
    return buildLineHistoryReply(incident.unique ?? incident.scopeKey, events, audit, f, this.deps.retention);
  }

  private async lineWhy(unique: string, ctx: ChatContext, f: ReplyFormat) {
    await this.requireVisibleUnique(unique, ctx);
    const events = this.deps.events;
    const [result, open, lastAccepted, recent, staleNonce, flapEvents] = await Promise.all([
      this.deps.queries.status(unique, { queryExternal: true }),
      this.openIncidents(unique),
      events.listForUnique(unique, { limit: 2, types: ['registered', 'refreshed'] }),
      events.listForUnique(unique, { limit: 20 }),
      events.listForUnique(unique, { limit: 1, types: ['stale_nonce'] }),
      events.listForUnique(unique, { limit: 200, types: ['expired', 'registered'] }),
    ]);
    const status = buildLineStatusReply(result, open.map((o) => o.summary), f);
    return buildLineWhyReply(
      {
        status,
        lastRegister: result.facts.lastRegister,
        lastAccepted,
        lastResponse: recent.find((e) => e.responseCode !== null) ?? null,
        lastStaleNonce: staleNonce[0] ?? null,
        flapEvents,
      },
      f,
    );
  }

  private async circleStatus(command: Extract<ChatCommand, { name: 'circle.status' }>, ctx: ChatContext, f: ReplyFormat) {
    await this.requireVisibleCircle(command.circle, ctx);
    const { circle, lines, documents } = await this.deps.queries.circle(command.circle, command.type);
    let rows: CircleLine[] = lines.map((line, i) => ({
      unique: line.unique.number,
      type: line.unique.type,
      status: documents[i]!.status,
      lastRegisterAt: line.lastRegister?.at ?? null,
    }));
    if (command.queryUnknown) {
      // Only the "?" rows of the page shown are asked, like the portal's click on "?".
      const page = clampPage(command.page, rows.length);
      const from = (page - 1) * CIRCLE_PAGE_SIZE;
      const onPage = rows.slice(from, from + CIRCLE_PAGE_SIZE);
      const asked = await mapWithConcurrency(onPage, EXTERNAL_QUERY_CONCURRENCY, async (row) => {
        if (row.status !== 'unknown') return row;
        const r = await this.deps.queries.status(row.unique, { queryExternal: true });
        return { ...row, status: r.document.status, lastRegisterAt: r.facts.lastRegister?.at ?? row.lastRegisterAt };
      });
      rows = [...rows.slice(0, from), ...asked, ...rows.slice(from + asked.length)];
    }
    return buildCircleStatusReply(circle, rows, { page: command.page ?? 1, type: command.type ?? null }, f);
  }

  private requireOncall(ctx: ChatContext): OncallPort {
    // On-call people and policies are internal: never shown in a channel shared with a customer.
    if (this.allowed(ctx) !== 'all') throw new ChatError('CHAT_ERR_FORBIDDEN');
    if (!this.deps.oncall) throw new ChatError('CHAT_ERR_ONCALL_NOT_CONFIGURED');
    return this.deps.oncall;
  }

  private async oncallShow(ctx: ChatContext, f: ReplyFormat) {
    return buildOncallReply(await this.requireOncall(ctx).describe(f.now), f);
  }

  private async oncallOverride(person: string, minutes: number, ctx: ChatContext, f: ReplyFormat): Promise<ChatReply> {
    const result = await this.requireOncall(ctx).override(person, minutes, ctx.actor);
    if (result.ok) return buildOverrideReply(result, ctx.actor, f);
    switch (result.reason) {
      case 'person_not_found':
        return errorReply('CHAT_ERR_PERSON_NOT_FOUND', f.t(m.personNotFound, { query: person }));
      case 'ambiguous_person':
        return errorReply('CHAT_ERR_PERSON_NOT_FOUND', f.t(m.personAmbiguous, { query: person, candidates: result.candidates.join(', ') }));
      case 'no_schedule':
        return errorReply('CHAT_ERR_INVALID_INPUT', f.t(m.noSchedule));
      default: {
        const never: never = result.reason;
        throw new Error(`unhandled override result ${String(never)}`);
      }
    }
  }
}
