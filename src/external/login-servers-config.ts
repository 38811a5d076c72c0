/**
 * Login servers as configuration (`LOGIN_SERVERS_CONFIG`, YAML): which ones this instance's
 * registrar serves besides `SIP_DOMAIN`, and which are served by external registrars, each with an
 * adapter and its connection settings. See docs/external-registrars.md and
 * examples/login-servers.yaml.
 *
 * A bad file stops startup with one message naming the file, the line and the field.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { systemClock, type Clock, type Locale } from '../domain/index.js';
import { configInvalid } from './errors.js';
import { ConfiguredLoginServers, normalizeLoginServer } from './configured-login-servers.js';
import { KamailioJsonRpcAdapter } from './kamailio/kamailio-jsonrpc-adapter.js';
import type { AdapterDeps, RegistrarAdapter } from './registrar-adapter.js';

export const DEFAULT_TIMEOUT_MS = 2000;

const hostName = z
  .string({ required_error: 'is required', invalid_type_error: 'must be a host name' })
  .trim()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/, 'must be a host name such as sip5.example.net')
  .transform(normalizeLoginServer);

const httpUrl = z
  .string({ required_error: 'is required', invalid_type_error: 'must be a URL' })
  .url('must be an http:// or https:// URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')
  .refine((u) => !/^https?:\/\/[^/]*@/i.test(u), 'must not contain credentials: use authHeader or authHeaderEnv');

const timeoutMs = z
  .number({ invalid_type_error: 'must be a number of milliseconds' })
  .int('must be whole milliseconds')
  .min(50, 'must be at least 50 ms')
  .max(60_000, 'must be at most 60000 ms')
  .default(DEFAULT_TIMEOUT_MS);

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** `kamailio-jsonrpc`: Kamailio `jsonrpcs` over `xhttp`, `ul.lookup`. */
const KamailioEntry = z
  .object({
    loginServer: hostName,
    adapter: z.literal('kamailio-jsonrpc'),
    url: httpUrl,
    timeoutMs,
    /** Whole Authorization header value; prefer authHeaderEnv to keep secrets out of the file. */
    authHeader: z.string().min(1, 'must not be empty').optional(),
    /** Name of an environment variable holding the Authorization header value. */
    authHeaderEnv: envName.optional(),
    aorDomain: hostName.optional(),
    table: z.string().regex(/^[A-Za-z0-9_]+$/, 'must be a usrloc table name such as location').default('location'),
  })
  .strict();

/** `none`: no query interface; the login server only sends events to the ingest endpoint. */
const EventsOnlyEntry = z.object({ loginServer: hostName, adapter: z.literal('none') }).strict();

// Adding `opensips-mi` or `asterisk-ari`: one more entry schema here and one factory below.
const ExternalEntry = z.discriminatedUnion('adapter', [KamailioEntry, EventsOnlyEntry], {
  errorMap: (issue, ctx) =>
    issue.code === 'invalid_union_discriminator'
      ? { message: `must be one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')}` }
      : { message: ctx.defaultError },
});

const LoginServersFile = z
  .object({
    served: z.array(hostName).default([]),
    external: z.array(ExternalEntry).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, string>();
    file.served.forEach((name, i) => {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['served', i], message: `${name} is listed twice` });
      seen.set(name, 'served');
    });
    file.external.forEach((entry, i) => {
      const before = seen.get(entry.loginServer);
      if (before) ctx.addIssue({ code: 'custom', path: ['external', i, 'loginServer'], message: `${entry.loginServer} is already listed (${before})` });
      seen.set(entry.loginServer, 'external');
    });
  });

type ExternalEntryConfig = z.infer<typeof ExternalEntry>;

export type AdapterKind = ExternalEntryConfig['adapter'];

type AdapterFactory<K extends AdapterKind> = (
  entry: Extract<ExternalEntryConfig, { adapter: K }>,
  deps: AdapterDeps,
  env: NodeJS.ProcessEnv,
) => RegistrarAdapter | null;

const ADAPTER_FACTORIES: { [K in AdapterKind]: AdapterFactory<K> } = {
  'kamailio-jsonrpc': (entry, deps, env) =>
    new KamailioJsonRpcAdapter(
      {
        loginServer: entry.loginServer,
        url: entry.url,
        timeoutMs: entry.timeoutMs,
        authorization: entry.authHeaderEnv ? env[entry.authHeaderEnv] : entry.authHeader,
        aorDomain: entry.aorDomain,
        table: entry.table,
      },
      deps,
    ),
  none: () => null,
};

export interface LoginServers {
  /** Login servers served live by this instance's registrar, besides SIP_DOMAIN. */
  readonly served: string[];
  readonly external: ConfiguredLoginServers;
  /** The longest `timeoutMs` of the external entries (0 without any): one live query takes at most this long. */
  readonly longestTimeoutMs: number;
}

export interface LoadLoginServersOptions {
  readonly locale?: Locale;
  readonly clock?: Clock;
  readonly env?: NodeJS.ProcessEnv;
  /** This registrar's SIP_DOMAIN: it must not also be configured as external. */
  readonly sipDomain?: string;
  readonly fetch?: typeof fetch;
}

/** Reads and validates the YAML file; throws `ExternalError` (EXTERNAL_ERR_CONFIG_INVALID) naming file, line and field. */
export async function loadLoginServers(file: string, options: LoadLoginServersOptions = {}): Promise<LoginServers> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw configInvalid(`LOGIN_SERVERS_CONFIG: cannot read ${file} (${code})`, err);
  }
  return parseLoginServers(text, file, options);
}

/** Same as `loadLoginServers` for YAML text; `source` names it in error messages. */
export function parseLoginServers(text: string, source: string, options: LoadLoginServersOptions = {}): LoginServers {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
    throw configInvalid(`${source}:${line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const parsed = LoginServersFile.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatPath(issue.path);
    throw configInvalid(`${source}:${lineOf(doc, lineCounter, issue.path)}: ${field}: ${issue.message}`);
  }
  const env = options.env ?? process.env;
  const sipDomain = options.sipDomain ? normalizeLoginServer(options.sipDomain) : null;
  const entries = parsed.data.external;
  entries.forEach((entry, i) => {
    if (sipDomain && entry.loginServer === sipDomain)
      throw configInvalid(`${source}:${lineOf(doc, lineCounter, ['external', i, 'loginServer'])}: external[${i}].loginServer: ${entry.loginServer} is SIP_DOMAIN, served by this registrar`);
    if (entry.adapter === 'kamailio-jsonrpc' && entry.authHeaderEnv && !env[entry.authHeaderEnv])
      throw configInvalid(`${source}:${lineOf(doc, lineCounter, ['external', i, 'authHeaderEnv'])}: external[${i}].authHeaderEnv: environment variable ${entry.authHeaderEnv} is not set`);
  });
  const deps: AdapterDeps = {
    clock: options.clock ?? systemClock,
    locale: options.locale ?? 'ja',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const adapters = new Map<string, RegistrarAdapter | null>();
  for (const entry of entries) adapters.set(entry.loginServer, createAdapter(entry, deps, env));
  return {
    served: parsed.data.served,
    external: new ConfiguredLoginServers(adapters, deps.locale),
    longestTimeoutMs: Math.max(0, ...entries.map((e) => (e.adapter === 'kamailio-jsonrpc' ? e.timeoutMs : 0))),
  };
}

function createAdapter(entry: ExternalEntryConfig, deps: AdapterDeps, env: NodeJS.ProcessEnv): RegistrarAdapter | null {
  switch (entry.adapter) {
    case 'kamailio-jsonrpc':
      return ADAPTER_FACTORIES['kamailio-jsonrpc'](entry, deps, env);
    case 'none':
      return ADAPTER_FACTORIES.none(entry, deps, env);
    default: {
      const never: never = entry;
      return never;
    }
  }
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(file)';
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** Line of the deepest node on the path that exists (a missing field points at its parent). */
function lineOf(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
