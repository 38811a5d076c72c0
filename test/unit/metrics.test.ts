import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.js';

describe('SIP metrics', () => {
  it('counts requests and responses per label, keeps counting across scrapes, and folds invented methods into OTHER', async () => {
    const metrics = createMetrics({ collectProcess: false });
    for (let i = 0; i < 3; i++) metrics.sip.request('REGISTER');
    metrics.sip.request('INVITE');
    for (let i = 0; i < 50; i++) metrics.sip.request(`X-INVENTED-${i}`);
    metrics.sip.response('REGISTER', 401);
    metrics.sip.response('REGISTER', 200);
    metrics.sip.response('REGISTER', 200);
    metrics.sip.activeBindings(7);
    const first = await metrics.registry.metrics();
    expect(first).toMatch(/linewatch_sip_requests_total\{method="REGISTER"\} 3\n/);
    expect(first).toMatch(/linewatch_sip_requests_total\{method="INVITE"\} 1\n/);
    expect(first).toMatch(/linewatch_sip_requests_total\{method="OTHER"\} 50\n/);
    expect(first).not.toMatch(/X-INVENTED/);
    expect(first).toMatch(/linewatch_sip_responses_total\{method="REGISTER",code="200"\} 2\n/);
    expect(first).toMatch(/linewatch_sip_responses_total\{method="REGISTER",code="401"\} 1\n/);
    expect(first).toMatch(/linewatch_sip_active_bindings 7\n/);
    metrics.sip.request('REGISTER');
    metrics.sip.activeBindings(6);
    const second = await metrics.registry.metrics();
    expect(second).toMatch(/linewatch_sip_requests_total\{method="REGISTER"\} 4\n/);
    expect(second).toMatch(/linewatch_sip_active_bindings 6\n/);
  });
});

describe('store metrics', () => {
  it('counts registration events deleted by history retention', async () => {
    const metrics = createMetrics({ collectProcess: false });
    metrics.retention.deleted(1000);
    metrics.retention.deleted(42);
    expect(await metrics.registry.metrics()).toMatch(/linewatch_store_events_deleted_total 1042\n/);
  });
});
