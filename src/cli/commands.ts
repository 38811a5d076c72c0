/**
 * The CLI commands. Each is small: parse, call a use case, print text or `--json`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { UniqueInput } from '../app/index.js';
import { isUniqueType } from '../domain/index.js';
import { eventJson } from '../http/routes/status.js';
import { parseCsv } from '../http/csv.js';
import { lockHolder } from '../store/data-dir-lock.js';
import type { CliDeps } from './run-cli.js';
import type { Store } from '../main.js';
import { ApiClient, ApiClientError } from './api-client.js';
import { formatCircleText, formatHistoryText, formatStatusText } from './format.js';
import { runDemo } from './demo.js';
import { INCIDENT_STATES, IncidentService, formatIncidentsText, type IncidentState } from '../alerts/index.js';
import { systemClock } from '../domain/index.js';
import { incidentJson } from '../http/routes/incidents.js';
import { DrizzleIncidentRepo } from '../store/repos/incident-repo.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

export interface CliRun {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly deps: CliDeps;
  readonly io: CliIo;
}

export interface CliCommand {
  readonly path: readonly string[];
  readonly usage: string;
  readonly summary: string;
  readonly help?: string;
  readonly arity: number;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CliRun): Promise<number>;
}

const json = { type: 'boolean' } as const;
const url = { type: 'string' } as const;

/**
 * Runs `direct` against the database, or `viaApi` against the running server when the embedded
 * database is held by `serve` (or `--url` is given).
 */
async function withStoreOrApi(
  ctx: CliRun,
  direct: (store: Store) => Promise<number>,
  viaApi: (api: ApiClient) => Promise<number>,
): Promise<number> {
  const config = ctx.deps.loadConfig();
  let baseUrl = typeof ctx.values.url === 'string' ? ctx.values.url : null;
  if (!baseUrl && config.database.kind === 'pglite') {
    const holder = lockHolder(resolve(config.database.dataDir));
    if (holder) baseUrl = `http://${holder.httpHost === '0.0.0.0' ? '127.0.0.1' : holder.httpHost}:${holder.httpPort}`;
  }
  try {
    if (baseUrl) return await viaApi(new ApiClient(baseUrl, config.http.apiToken));
    const store = await ctx.deps.openStore(config, { logger: ctx.deps.createLogger('warn', process.stderr) });
    try {
      return await direct(store);
    } finally {
      await store.close();
    }
  } catch (err) {
    const e = err as { code?: string; message: string };
    ctx.io.err(e instanceof ApiClientError || e.code ? `error: ${e.message}` : `error: ${e.message}`);
    return 1;
  }
}

function readImportRows(text: string, file: string): UniqueInput[] {
  if (file.endsWith('.json') || text.trimStart().startsWith('[')) return JSON.parse(text) as UniqueInput[];
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(`${file}:${parsed.line}: ${parsed.reason}`);
  const [header, ...rows] = parsed.rows;
  if (!header) throw new Error(`${file} is empty`);
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), cells[i]?.trim() ?? ''])) as unknown as UniqueInput);
}

export const COMMANDS: readonly CliCommand[] = [
  {
    path: ['serve'],
    usage: 'serve',
    summary: 'run the SIP registrar, the HTTP server and the chat adapters',
    arity: 0,
    options: {},
    async run({ deps }) {
      const config = deps.loadConfig();
      const logger = deps.createLogger(config.logLevel);
      // A library's stray rejection (postgres.js reports ECONNRESET this way when PostgreSQL drops
      // connections mid-query) must not take the registrar down: Node 20 would exit on it.
      process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection (kept running)'));
      let lw;
      try {
        lw = await deps.startLinewatch(config, logger);
      } catch (err) {
        // Configuration files (ONCALL_CONFIG, LOGIN_SERVERS_CONFIG, ALERT_ROUTES_CONFIG) and busy ports
        // end here: one line that says what to fix, not a stack trace.
        const e = err as { code?: string; message?: string };
        process.stderr.write(`linewatch could not start: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}\n`);
        logger.debug({ err }, 'startup failure');
        return 2;
      }
      await new Promise<void>((resolveStop) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'shutting down');
          lw.stop().then(resolveStop, (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            resolveStop();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      return 0;
    },
  },
  {
    path: ['migrate'],
    usage: 'migrate',
    summary: 'create or update the database schema and exit',
    arity: 0,
    options: {},
    async run({ deps, io }) {
      const config = deps.loadConfig();
      const store = await deps.openStore(config, { logger: deps.createLogger('warn', process.stderr) });
      await store.close();
      io.out(`database schema is up to date (${store.handle.driver})`);
      return 0;
    },
  },
  {
    path: ['import'],
    usage: 'import <file.csv|file.json>',
    summary: 'bulk-provision uniques (columns number,circleNumber,type,password[,loginServer])',
    arity: 1,
    options: { url },
    async run(ctx) {
      const file = ctx.positionals[0]!;
      let text: string;
      try {
        text = file === '-' ? await ctx.io.readStdin() : readFileSync(file, 'utf8');
      } catch (err) {
        ctx.io.err(`error: cannot read ${file}: ${(err as Error).message}`);
        return 1;
      }
      return withStoreOrApi(
        ctx,
        async (store) => {
          const n = await store.provisioning.importUniques(readImportRows(text, file));
          ctx.io.out(`imported ${n} uniques`);
          return 0;
        },
        async (api) => {
          const isJson = file.endsWith('.json') || text.trimStart().startsWith('[');
          const res = await api.request<{ imported: number }>('POST', '/uniques/import', text, isJson ? 'application/json' : 'text/csv');
          ctx.io.out(`imported ${res.imported} uniques`);
          return 0;
        },
      );
    },
  },
  {
    path: ['line', 'status'],
    usage: 'line status <unique> [--json]',
    summary: 'registration status of a line, its latest error and what to tell the customer',
    arity: 1,
    options: { json, url },
    async run(ctx) {
      const number = ctx.positionals[0]!;
      const print = (doc: Parameters<typeof formatStatusText>[0]) => {
        ctx.io.out(ctx.values.json ? JSON.stringify(doc, null, 2) : formatStatusText(doc, ctx.deps.loadConfig()));
        return 0;
      };
      return withStoreOrApi(
        ctx,
        async (store) => print((await store.lineQueries.status(number)).document),
        async (api) => print(await api.request('GET', `/uniques/${encodeURIComponent(number)}`)),
      );
    },
  },
  {
    path: ['line', 'history'],
    usage: 'line history <unique> [--limit N] [--json]',
    summary: 'registration events of a line, newest first',
    arity: 1,
    options: { json, url, limit: { type: 'string' } },
    async run(ctx) {
      const number = ctx.positionals[0]!;
      const limit = Number(ctx.values.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        ctx.io.err('error: --limit must be a whole number from 1 to 1000');
        return 1;
      }
      const print = (events: ReturnType<typeof eventJson>[]) => {
        ctx.io.out(ctx.values.json ? JSON.stringify({ unique: number, events }, null, 2) : formatHistoryText(number, events, ctx.deps.loadConfig()));
        return 0;
      };
      return withStoreOrApi(
        ctx,
        async (store) => print((await store.lineQueries.history(number, limit)).events.map(eventJson)),
        async (api) => print((await api.request<{ events: ReturnType<typeof eventJson>[] }>('GET', `/uniques/${encodeURIComponent(number)}/events?limit=${limit}`)).events),
      );
    },
  },
  {
    path: ['line', 'password'],
    usage: 'line password <unique> [--generate]',
    summary: 'overwrite a line\'s SIP password (read from stdin, or generated and printed once)',
    arity: 1,
    options: { generate: { type: 'boolean' }, url },
    async run(ctx) {
      const number = ctx.positionals[0]!;
      const password = ctx.values.generate ? randomBytes(12).toString('base64url') : (await ctx.io.readStdin()).trim();
      const done = () => {
        ctx.io.out(ctx.values.generate ? `new password for ${number}: ${password}\nenter it on the phone; it is not stored and cannot be shown again` : `password of ${number} overwritten`);
        return 0;
      };
      return withStoreOrApi(
        ctx,
        async (store) => {
          await store.provisioning.setPassword(number, password);
          return done();
        },
        async (api) => {
          await api.request('PUT', `/uniques/${encodeURIComponent(number)}/password`, { password });
          return done();
        },
      );
    },
  },
  {
    path: ['circle', 'status'],
    usage: 'circle status <circle> [--type T] [--json]',
    summary: 'every line of a circle with its status, like the portal\'s unique list',
    arity: 1,
    options: { json, url, type: { type: 'string' } },
    async run(ctx) {
      const number = ctx.positionals[0]!;
      const type = ctx.values.type as string | undefined;
      if (type !== undefined && !isUniqueType(type)) {
        ctx.io.err(`error: --type ${type} is not a unique type code`);
        return 1;
      }
      const print = (circle: Parameters<typeof formatCircleText>[0]) => {
        ctx.io.out(ctx.values.json ? JSON.stringify(circle, null, 2) : formatCircleText(circle, ctx.deps.loadConfig()));
        return 0;
      };
      return withStoreOrApi(
        ctx,
        async (store) => {
          const { circle, documents } = await store.lineQueries.circle(number, type as never);
          return print({ number: circle.number, account: circle.accountLoginId, state: circle.state, uniques: documents });
        },
        async (api) => print(await api.request('GET', `/circles/${encodeURIComponent(number)}${type ? `?type=${type}` : ''}`)),
      );
    },
  },
  {
    path: ['alerts'],
    usage: 'alerts [--state open|acknowledged|snoozed|resolved] [--json]',
    summary: 'incidents raised by the alert engine, newest first (the whole loop without chat credentials)',
    arity: 0,
    options: { json, url, state: { type: 'string' } },
    async run(ctx) {
      const state = ctx.values.state as string | undefined;
      if (state !== undefined && !(INCIDENT_STATES as readonly string[]).includes(state)) {
        ctx.io.err(`error: --state must be one of ${INCIDENT_STATES.join(', ')}`);
        return 1;
      }
      const config = ctx.deps.loadConfig();
      return withStoreOrApi(
        ctx,
        async (store) => {
          const list = await new IncidentService({ store: new DrizzleIncidentRepo(store.handle), clock: systemClock }).list(state as IncidentState | undefined);
          ctx.io.out(ctx.values.json ? JSON.stringify(list.map(incidentJson), null, 2) : formatIncidentsText(list, config.locale, config.displayTimeZone));
          return 0;
        },
        async (api) => {
          const body = await api.request<{ incidents: ReturnType<typeof incidentJson>[] }>('GET', `/incidents${state ? `?state=${state}` : ''}`);
          ctx.io.out(
            ctx.values.json
              ? JSON.stringify(body.incidents, null, 2)
              : body.incidents.map((i) => `#${i.id} ${i.state.padEnd(12)} ${i.cause.padEnd(15)} ${i.unique ?? i.circle ?? ''} ×${i.count} ${i.openedAt}`).join('\n') || '-',
          );
          return 0;
        },
      );
    },
  },
  {
    path: ['discord', 'register-commands'],
    usage: 'discord register-commands [--guild <id>]',
    summary: 'register /line, /circle and /oncall with Discord (globally, or in one guild at once)',
    arity: 0,
    options: { guild: { type: 'string' } },
    async run(ctx) {
      const config = ctx.deps.loadConfig();
      try {
        const args = typeof ctx.values.guild === 'string' ? ['--guild', ctx.values.guild] : [];
        // discord.js is loaded only by the command that needs it (it costs every process ~20 MB).
        const { registerCommandsCli } = await import('../chat/discord/index.js');
        ctx.io.out(
          await registerCommandsCli(args, {
            token: config.discord?.token,
            applicationId: config.discord?.applicationId,
            apiUrl: config.discord?.apiUrl,
            locale: config.locale,
          }),
        );
        return 0;
      } catch (err) {
        ctx.io.err(`error: ${(err as Error).message}`);
        return 1;
      }
    },
  },
  {
    path: ['demo'],
    usage: 'demo',
    summary: 'provision a demo account, circle and lines, and print how to register a softphone',
    arity: 0,
    options: { url },
    async run(ctx) {
      return withStoreOrApi(
        ctx,
        async (store) => runDemo({ kind: 'store', store }, ctx.deps.loadConfig(), ctx.io),
        async (api) => runDemo({ kind: 'api', api }, ctx.deps.loadConfig(), ctx.io),
      );
    },
  },
];
