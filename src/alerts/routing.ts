/**
 * Alert routing: which chat destinations see an incident.
 *
 * Rules (YAML, `ALERT_ROUTES_CONFIG`) match on account, circle, cause and severity and name one or
 * more `{platform, destination}` targets. The first matching rule wins unless it says
 * `continue: true`. When no rule matches, the per-platform defaults (SLACK_ALERT_CHANNEL,
 * DISCORD_ALERT_CHANNEL_ID) receive it; `security` incidents go to the `security:` targets when
 * configured. The log target is always added (unless `log: false`).
 *
 * Customer-shared channels: a target (in a rule, in `security:` or in `channels:`) with `account:`
 * only ever receives incidents of that account. This is enforced on the final target list, so a
 * catch-all rule or a default cannot leak another customer's incident into it.
 *
 * ```yaml
 * routes:
 *   - match: { account: acme, cause: [deregistered, site_down] }
 *     targets:
 *       - { platform: slack, destination: C0ACME, account: acme }
 *   - match: { severity: critical }
 *     targets: [{ platform: discord, destination: "1234567890" }]
 *     continue: true
 * security:
 *   - { platform: slack, destination: C0SECURITY }
 * channels:            # restrictions for channels used elsewhere (e.g. as a default)
 *   - { platform: slack, destination: C0ACME, account: acme }
 * log: true
 * ```
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { invalidRoutes } from './errors.js';
import { INCIDENT_CAUSES, type Incident } from './incident.js';

export interface RouteTarget {
  readonly platform: string;
  readonly destination: string;
}

const oneOrMany = <T extends z.ZodTypeAny>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

const TargetSchema = z
  .object({
    platform: z.enum(['slack', 'discord', 'log', 'webhook']),
    destination: z.string().min(1),
    account: z.string().min(1).optional(),
  })
  .strict();

const RuleSchema = z
  .object({
    match: z
      .object({
        account: oneOrMany(z.string().min(1)).optional(),
        circle: oneOrMany(z.string().min(1)).optional(),
        cause: oneOrMany(z.enum(INCIDENT_CAUSES)).optional(),
        severity: oneOrMany(z.enum(['critical', 'warning', 'info'])).optional(),
      })
      .strict()
      .default({}),
    targets: z.array(TargetSchema).min(1),
    continue: z.boolean().default(false),
  })
  .strict();

export const RoutingConfigSchema = z
  .object({
    routes: z.array(RuleSchema).default([]),
    security: z.array(TargetSchema).default([]),
    channels: z.array(TargetSchema.required({ account: true })).default([]),
    log: z.boolean().default(true),
  })
  .strict();

export type RoutingConfig = z.infer<typeof RoutingConfigSchema>;

export interface RouterDefaults {
  /** SLACK_ALERT_CHANNEL */
  readonly slackChannel?: string | undefined;
  /** DISCORD_ALERT_CHANNEL_ID */
  readonly discordChannel?: string | undefined;
}

export const LOG_TARGET: RouteTarget = { platform: 'log', destination: 'log' };

const key = (t: RouteTarget) => `${t.platform}\u0000${t.destination}`;

export class AlertRouter {
  private readonly restrictions = new Map<string, string>();

  constructor(
    private readonly config: RoutingConfig = RoutingConfigSchema.parse({}),
    private readonly defaults: RouterDefaults = {},
  ) {
    for (const t of [...config.channels, ...config.security, ...config.routes.flatMap((r) => r.targets)]) {
      if (t.account) this.restrictions.set(key(t), t.account);
    }
  }

  /**
   * The account a customer-shared channel is restricted to, if any. Chat commands in that channel
   * use it too, so a customer's channel never shows another customer's lines.
   */
  restrictionOf(platform: RouteTarget['platform'], destination: string): string | undefined {
    return this.restrictions.get(key({ platform, destination } as RouteTarget));
  }

  /** The destinations of an incident, deduplicated, customer-shared channels filtered. */
  route(incident: Pick<Incident, 'accountLoginId' | 'circle' | 'cause' | 'severity'>): RouteTarget[] {
    const picked: RouteTarget[] = [];
    let matched = false;
    if (incident.cause === 'security' && this.config.security.length > 0) {
      picked.push(...this.config.security);
      matched = true;
    } else {
      for (const rule of this.config.routes) {
        if (!matches(rule.match, incident)) continue;
        picked.push(...rule.targets);
        matched = true;
        if (!rule.continue) break;
      }
    }
    if (!matched) {
      if (this.defaults.slackChannel) picked.push({ platform: 'slack', destination: this.defaults.slackChannel });
      if (this.defaults.discordChannel) picked.push({ platform: 'discord', destination: this.defaults.discordChannel });
    }
    if (this.config.log) picked.push(LOG_TARGET);
    const seen = new Set<string>();
    const out: RouteTarget[] = [];
    for (const t of picked) {
      const k = key(t);
      if (seen.has(k)) continue;
      seen.add(k);
      const only = this.restrictions.get(k);
      // "A channel shared with a customer only ever sees that customer's account."
      if (only !== undefined && only !== incident.accountLoginId) continue;
      out.push({ platform: t.platform, destination: t.destination });
    }
    return out;
  }
}

type Match = RoutingConfig['routes'][number]['match'];

function matches(m: Match, i: Pick<Incident, 'accountLoginId' | 'circle' | 'cause' | 'severity'>): boolean {
  if (m.account && (i.accountLoginId === null || !m.account.includes(i.accountLoginId))) return false;
  if (m.circle && (i.circle === null || !m.circle.includes(i.circle))) return false;
  if (m.cause && !m.cause.includes(i.cause)) return false;
  if (m.severity && !m.severity.includes(i.severity)) return false;
  return true;
}

/** Parses and validates routing YAML; errors name the line (and field) at fault. */
export function parseRoutingConfig(text: string, fileName = 'routes'): RoutingConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lineCounter.linePos(err.pos[0]).line;
    throw invalidRoutes(`${fileName}:${line}: ${err.message.split('\n')[0]}`);
  }
  const parsed = RoutingConfigSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path;
  let line = 1;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      line = lineCounter.linePos(node.range[0]).line;
      break;
    }
  }
  const field = path.length ? path.join('.') : '(root)';
  throw invalidRoutes(`${fileName}:${line}: ${field}: ${issue.message}`);
}

/** Reads the routing file (ALERT_ROUTES_CONFIG); no file means defaults only. */
export function loadAlertRouter(path: string | undefined, defaults: RouterDefaults): AlertRouter {
  if (!path) return new AlertRouter(undefined, defaults);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw invalidRoutes(`${path}: cannot read the alert routes file`, { cause });
  }
  return new AlertRouter(parseRoutingConfig(text, path), defaults);
}
