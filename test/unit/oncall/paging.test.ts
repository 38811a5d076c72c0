import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPageRequest, PageDeliveryError, WebhookPager } from '../../../src/oncall/index.js';
import { incidentFromSnapshot } from '../../../src/oncall/note-builder.js';

const snap = { id: 9, cause: 'password_error' as const, severity: 'warning' as const, unique: '0000000005', circle: null, accountLoginId: null, openedAt: '2026-11-26T01:00:00.000Z' };
let server: Server | null = null;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('buildPageRequest', () => {
  it('PagerDuty trigger, acknowledge and resolve share the dedup key; follow-ups carry only the keys', () => {
    const at = new Date('2026-11-26T01:05:00Z');
    const trigger = buildPageRequest({ webhook: 'pagerduty', routingKey: 'RK' }, 'trigger', snap, 'linewatch: password_error', at);
    expect(trigger.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(trigger.body).toMatchObject({ routing_key: 'RK', event_action: 'trigger', dedup_key: 'linewatch-incident-9', payload: { summary: 'linewatch: password_error', source: 'linewatch', severity: 'warning', timestamp: at.toISOString(), class: 'password_error' } });
    expect(buildPageRequest({ webhook: 'pagerduty', routingKey: 'RK' }, 'acknowledge', snap, '', at).body).toEqual({ routing_key: 'RK', event_action: 'acknowledge', dedup_key: 'linewatch-incident-9' });
    expect(buildPageRequest({ webhook: 'generic', url: 'http://127.0.0.1/x' }, 'resolve', snap, 's', at).body).toMatchObject({ event: 'resolve', dedup_key: 'linewatch-incident-9', incident: { id: 9 } });
  });
});

describe('WebhookPager', () => {
  const incident = incidentFromSnapshot(snap);

  it('retries once at once when the connection is dropped, then succeeds', async () => {
    let n = 0;
    const url = await serve((req, res) => {
      n++;
      if (n === 1) return req.socket.destroy();
      res.writeHead(202).end('{}');
    });
    await new WebhookPager().page(incident, 'generic', buildPageRequest({ webhook: 'generic', url }, 'trigger', snap, 's', new Date()));
    expect(n).toBe(2);
  });

  it('4xx is permanent, 5xx and 429 retryable, a slow endpoint times out (retryable)', async () => {
    const statuses = [400, 503, 429];
    const url = await serve((req, res) => {
      const s = statuses.shift();
      if (s === undefined) return; // never answers
      res.writeHead(s).end();
    });
    const req = buildPageRequest({ webhook: 'generic', url }, 'trigger', snap, 's', new Date());
    const pager = new WebhookPager({ timeoutMs: 300 });
    const outcome = async () => pager.page(incident, 'generic', req).then(() => null, (e: unknown) => e as PageDeliveryError);
    expect(await outcome()).toMatchObject({ code: 'ONCALL_ERR_PAGE_FAILED', retryable: false, message: 'page generic answered HTTP 400' });
    expect(await outcome()).toMatchObject({ retryable: true });
    expect(await outcome()).toMatchObject({ retryable: true });
    const slow = await outcome();
    expect(slow).toBeInstanceOf(PageDeliveryError);
    expect(slow).toMatchObject({ retryable: true, message: 'page generic failed: TimeoutError' });
  });
});
