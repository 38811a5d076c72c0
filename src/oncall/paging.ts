/**
 * Paging: PagerDuty Events API v2 compatible payloads with a stable dedup key, a generic JSON
 * webhook, and the HTTP POST (global fetch with a timeout). Failures throw `PageDeliveryError`;
 * the page job retries with backoff, so a slow endpoint never blocks the escalation worker.
 *
 * @remarks
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ — "dedup_key: Deduplication
 * key for correlating triggers and resolves"; acknowledge and resolve events need only
 * `routing_key`, `event_action` and `dedup_key`.
 */
import type { Incident } from '../alerts/index.js';
import { PageDeliveryError } from './errors.js';
import type { EscalationNotifier, PageRequest } from './ports.js';
import type { IncidentSnapshot } from './escalation-chain.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** Stable per incident: retries, acknowledges and resolves correlate with the trigger. */
export const dedupKey = (incidentId: number): string => `linewatch-incident-${incidentId}`;

const scopeOf = (i: IncidentSnapshot) => i.unique ?? i.circle ?? i.accountLoginId ?? '-';

/** Builds the request for one page (trigger) or its follow-up (acknowledge, resolve). */
export function buildPageRequest(
  target: { readonly webhook: 'pagerduty' | 'generic'; readonly url?: string; readonly routingKey?: string },
  eventAction: PageRequest['eventAction'],
  incident: IncidentSnapshot,
  summary: string,
  at: Date,
): PageRequest {
  const key = dedupKey(incident.id);
  if (target.webhook === 'pagerduty') {
    const body: Record<string, unknown> =
      eventAction === 'trigger'
        ? {
            routing_key: target.routingKey,
            event_action: 'trigger',
            dedup_key: key,
            client: 'linewatch',
            payload: {
              summary: summary.slice(0, 1024),
              source: 'linewatch',
              severity: incident.severity,
              timestamp: at.toISOString(),
              component: scopeOf(incident),
              class: incident.cause,
              ...(incident.circle ? { group: incident.circle } : {}),
              custom_details: {
                incident_id: incident.id,
                cause: incident.cause,
                unique: incident.unique,
                circle: incident.circle,
                account: incident.accountLoginId,
                opened_at: incident.openedAt,
              },
            },
          }
        : { routing_key: target.routingKey, event_action: eventAction, dedup_key: key };
    return { webhook: 'pagerduty', url: target.url ?? PAGERDUTY_EVENTS_URL, eventAction, body };
  }
  return {
    webhook: 'generic',
    url: target.url ?? '',
    eventAction,
    body: { event: eventAction, dedup_key: key, summary, at: at.toISOString(), incident },
  };
}

export interface WebhookPagerOptions {
  readonly timeoutMs?: number;
  readonly fetch?: typeof globalThis.fetch;
}

/** Sends pages over HTTP; implements the notifier's `page`. */
export class WebhookPager implements Pick<EscalationNotifier, 'page'> {
  private readonly timeoutMs: number;
  private readonly fetch: typeof globalThis.fetch;

  constructor(options: WebhookPagerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async page(_incident: Incident, _webhook: PageRequest['webhook'], request: PageRequest): Promise<void> {
    const post = () =>
      this.fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'linewatch' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    let response: Response;
    try {
      response = await post().catch((err: unknown) => {
        // A pooled keep-alive socket the server closed meanwhile fails at once ("other side
        // closed"); one immediate retry on a fresh connection saves a 30 s backoff. Timeouts are not retried here.
        if ((err as Error).name === 'TimeoutError') throw err;
        return post();
      });
    } catch (cause) {
      // Never include the URL or body: a routing key is a credential.
      throw new PageDeliveryError(`page ${request.webhook} failed: ${(cause as Error).name}`, true, { cause });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    const retryable = response.status === 429 || response.status >= 500 || response.status === 408;
    throw new PageDeliveryError(`page ${request.webhook} answered HTTP ${response.status}`, retryable);
  }
}

/** Backoff for page retries: 30 s, 1 min, 2 min … capped at 15 min. */
export const pageBackoffMs = (attempt: number): number => Math.min(30_000 * 2 ** Math.max(attempt - 1, 0), 15 * 60_000);
export const PAGE_MAX_ATTEMPTS = 8;
