/**
 * Configuration from the environment, parsed and validated once at startup (contract.md §Environment).
 * A bad value stops the process with one line naming the variable and what it should be.
 */
import { z } from 'zod';
import type { HistoryRetention } from './domain/index.js';

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be a port number (0-65535)` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(fallback);

const seconds = (name: string, fallback: number) =>
  z.coerce.number({ invalid_type_error: `${name} must be a number of seconds` }).int(`${name} must be whole seconds`).min(0, `${name} must not be negative`).default(fallback);

const days = (name: string, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be a number of days` })
    .int(`${name} must be whole days`)
    .min(0, `${name} must not be negative (0 keeps events for good)`)
    .max(36_500, `${name} must be at most 36500`)
    .default(fallback);

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z
  .object({
    DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'DATABASE_URL must start with postgres:// or postgresql://',
    }),
    DATA_DIR: z.string().default('./data'),
    PGLITE_SHARED_BUFFERS_MB: z.coerce
      .number({ invalid_type_error: 'PGLITE_SHARED_BUFFERS_MB must be a number of megabytes' })
      .int('PGLITE_SHARED_BUFFERS_MB must be whole megabytes')
      .min(1, 'PGLITE_SHARED_BUFFERS_MB must be at least 1')
      .max(1024, 'PGLITE_SHARED_BUFFERS_MB must be at most 1024 (PGlite runs in 2 GiB of WebAssembly memory)')
      .default(16),
    SIP_HOST: z.string().default('0.0.0.0'),
    SIP_PORT: port('SIP_PORT', 5060),
    SIP_DOMAIN: z.string().min(1, 'SIP_DOMAIN must not be empty').default('localhost'),
    SIP_REALM: optionalText,
    SIP_SERVED_DOMAINS: optionalText,
    SIP_MIN_EXPIRES: seconds('SIP_MIN_EXPIRES', 60),
    SIP_MAX_EXPIRES: seconds('SIP_MAX_EXPIRES', 3600),
    SIP_DEFAULT_EXPIRES: seconds('SIP_DEFAULT_EXPIRES', 600),
    SIP_MAX_BINDINGS_PER_UNIQUE: z.coerce.number().int().min(1, 'SIP_MAX_BINDINGS_PER_UNIQUE must be at least 1').default(5),
    SIP_NONCE_SECRET: optionalText,
    SIP_DIGEST_ALGORITHMS: z
      .string()
      .default('MD5,SHA-256')
      .refine((v) => v.split(',').every((a) => ['MD5', 'SHA-256'].includes(a.trim())) && v.trim() !== '', {
        message: 'SIP_DIGEST_ALGORITHMS must list MD5 and/or SHA-256, most preferred first (e.g. MD5,SHA-256)',
      }),
    SIP_RATE_PER_SOURCE: z.coerce.number().int().min(1, 'SIP_RATE_PER_SOURCE must be at least 1 request/s').default(100),
    SIP_RATE_BURST: z.coerce.number().int().min(1, 'SIP_RATE_BURST must be at least 1').default(400),
    SIP_AUTH_FAILURES_BEFORE_BLOCK: z.coerce.number().int().min(1, 'SIP_AUTH_FAILURES_BEFORE_BLOCK must be at least 1').default(10),
    SIP_BLOCK_SECONDS: seconds('SIP_BLOCK_SECONDS', 600),
    SIP_TRUSTED_SOURCES: optionalText,
    SIP_TCP_IDLE_TIMEOUT_S: seconds('SIP_TCP_IDLE_TIMEOUT_S', 120),
    HTTP_HOST: z.string().default('127.0.0.1'),
    HTTP_PORT: port('HTTP_PORT', 3000),
    API_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
      message: 'API_TOKEN must be at least 16 characters',
    }),
    DEREGISTER_GRACE_S: seconds('DEREGISTER_GRACE_S', 30),
    RESTART_GRACE_S: seconds('RESTART_GRACE_S', 120),
    EVENT_RETENTION_DAYS: days('EVENT_RETENTION_DAYS', 90),
    REFRESH_RETENTION_DAYS: days('REFRESH_RETENTION_DAYS', 7),
    ONCALL_CONFIG: optionalText,
    LOGIN_SERVERS_CONFIG: optionalText,
    ALERT_ROUTES_CONFIG: optionalText,
    LOCALE: z.enum(['ja', 'en'], { errorMap: () => ({ message: "LOCALE must be 'ja' or 'en'" }) }).default('ja'),
    DISPLAY_TZ: z
      .string()
      .default('Asia/Tokyo')
      .refine(isTimeZone, { message: 'DISPLAY_TZ must be an IANA timezone such as Asia/Tokyo' }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText,
    // chat.update and thread replies need the channel's ID; a #name posts once and then cannot be edited.
    SLACK_ALERT_CHANNEL: optionalText.refine((v) => v === undefined || /^[CGD][A-Z0-9]{6,}$/.test(v), {
      message: 'SLACK_ALERT_CHANNEL must be a channel ID such as C0123ABCDEF (channel details → About → Channel ID), not a #name',
    }),
    SLACK_API_URL: optionalText,
    DISCORD_TOKEN: optionalText,
    DISCORD_APPLICATION_ID: optionalText,
    DISCORD_PUBLIC_KEY: optionalText.refine((v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v), {
      message: 'DISCORD_PUBLIC_KEY must be the 64 hex characters shown in the Discord developer portal',
    }),
    DISCORD_ALERT_CHANNEL_ID: optionalText.refine((v) => v === undefined || /^\d{15,21}$/.test(v), {
      message: 'DISCORD_ALERT_CHANNEL_ID must be the numeric channel ID (Developer Mode → right-click the channel → Copy Channel ID)',
    }),
    DISCORD_API_URL: optionalText,
  })
  .superRefine((env, ctx) => {
    if (env.SIP_MIN_EXPIRES > env.SIP_MAX_EXPIRES)
      ctx.addIssue({ code: 'custom', path: ['SIP_MIN_EXPIRES'], message: 'SIP_MIN_EXPIRES must not exceed SIP_MAX_EXPIRES' });
    if (env.SIP_DEFAULT_EXPIRES < env.SIP_MIN_EXPIRES || env.SIP_DEFAULT_EXPIRES > env.SIP_MAX_EXPIRES)
      ctx.addIssue({ code: 'custom', path: ['SIP_DEFAULT_EXPIRES'], message: 'SIP_DEFAULT_EXPIRES must lie between SIP_MIN_EXPIRES and SIP_MAX_EXPIRES' });
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN)
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) is required with SLACK_BOT_TOKEN' });
    if (env.SLACK_APP_TOKEN && !env.SLACK_APP_TOKEN.startsWith('xapp-'))
      ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'SLACK_APP_TOKEN must be an app-level token starting with xapp-' });
    if (env.DISCORD_PUBLIC_KEY && !env.DISCORD_APPLICATION_ID)
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'DISCORD_APPLICATION_ID is required with DISCORD_PUBLIC_KEY' });
  });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface Config {
  readonly database:
    | { readonly kind: 'postgres'; readonly url: string }
    | { readonly kind: 'pglite'; readonly dataDir: string; readonly sharedBuffersMb: number };
  readonly sip: {
    readonly host: string;
    readonly port: number;
    readonly domain: string;
    readonly realm: string;
    /** Login servers (SIP domains) whose lines this registrar serves live. */
    readonly servedDomains: readonly string[];
    readonly minExpires: number;
    readonly maxExpires: number;
    readonly defaultExpires: number;
    readonly maxBindingsPerUnique: number;
    readonly nonceSecret: string | undefined;
    /** Digest algorithms offered, most preferred first. */
    readonly digestAlgorithms: readonly ('MD5' | 'SHA-256')[];
    readonly abuse: {
      readonly ratePerSecond: number;
      readonly burst: number;
      readonly maxFailures: number;
      readonly blockSeconds: number;
      readonly allowList: readonly string[];
    };
    readonly tcpIdleTimeoutSeconds: number;
  };
  readonly http: { readonly host: string; readonly port: number; readonly apiToken: string | undefined };
  readonly alerts: { readonly deregisterGraceSeconds: number; readonly restartGraceSeconds: number; readonly routesFile: string | undefined };
  readonly retention: HistoryRetention;
  readonly oncallConfigFile: string | undefined;
  readonly loginServersFile: string | undefined;
  readonly locale: 'ja' | 'en';
  readonly displayTimeZone: string;
  readonly logLevel: string;
  readonly slack:
    | {
        readonly botToken: string;
        readonly signingSecret: string | undefined;
        readonly appToken: string | undefined;
        readonly alertChannel: string | undefined;
        readonly apiUrl: string | undefined;
      }
    | undefined;
  readonly discord:
    | {
        readonly token: string | undefined;
        readonly applicationId: string | undefined;
        readonly publicKey: string | undefined;
        readonly alertChannelId: string | undefined;
        readonly apiUrl: string | undefined;
      }
    | undefined;
}

/** Thrown with one line that names the variable and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const message = issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
    throw new ConfigError(`Invalid configuration: ${message}`);
  }
  const e = parsed.data;
  const servedDomains = [e.SIP_DOMAIN, ...(e.SIP_SERVED_DOMAINS?.split(',').map((d) => d.trim()).filter(Boolean) ?? [])];
  return {
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: e.DATA_DIR, sharedBuffersMb: e.PGLITE_SHARED_BUFFERS_MB },
    sip: {
      host: e.SIP_HOST,
      port: e.SIP_PORT,
      domain: e.SIP_DOMAIN,
      realm: e.SIP_REALM ?? e.SIP_DOMAIN,
      servedDomains: [...new Set(servedDomains)],
      minExpires: e.SIP_MIN_EXPIRES,
      maxExpires: e.SIP_MAX_EXPIRES,
      defaultExpires: e.SIP_DEFAULT_EXPIRES,
      maxBindingsPerUnique: e.SIP_MAX_BINDINGS_PER_UNIQUE,
      nonceSecret: e.SIP_NONCE_SECRET,
      digestAlgorithms: [...new Set(e.SIP_DIGEST_ALGORITHMS.split(',').map((a) => a.trim() as 'MD5' | 'SHA-256'))],
      abuse: {
        ratePerSecond: e.SIP_RATE_PER_SOURCE,
        burst: e.SIP_RATE_BURST,
        maxFailures: e.SIP_AUTH_FAILURES_BEFORE_BLOCK,
        blockSeconds: e.SIP_BLOCK_SECONDS,
        allowList: e.SIP_TRUSTED_SOURCES?.split(',').map((a) => a.trim()).filter(Boolean) ?? [],
      },
      tcpIdleTimeoutSeconds: e.SIP_TCP_IDLE_TIMEOUT_S,
    },
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, apiToken: e.API_TOKEN },
    alerts: { deregisterGraceSeconds: e.DEREGISTER_GRACE_S, restartGraceSeconds: e.RESTART_GRACE_S, routesFile: e.ALERT_ROUTES_CONFIG },
    retention: { eventDays: e.EVENT_RETENTION_DAYS, refreshDays: e.REFRESH_RETENTION_DAYS },
    oncallConfigFile: e.ONCALL_CONFIG,
    loginServersFile: e.LOGIN_SERVERS_CONFIG,
    locale: e.LOCALE,
    displayTimeZone: e.DISPLAY_TZ,
    logLevel: e.LOG_LEVEL,
    slack: e.SLACK_BOT_TOKEN
      ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, alertChannel: e.SLACK_ALERT_CHANNEL, apiUrl: e.SLACK_API_URL }
      : undefined,
    discord:
      e.DISCORD_TOKEN || e.DISCORD_PUBLIC_KEY
        ? { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, publicKey: e.DISCORD_PUBLIC_KEY, alertChannelId: e.DISCORD_ALERT_CHANNEL_ID, apiUrl: e.DISCORD_API_URL }
        : undefined,
  };
}
