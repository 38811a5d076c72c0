/**
 * Prometheus metrics: one registry per process (built in main.ts, never global), and the adapters
 * that let the SIP layer and the writer record into it without knowing prom-client.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SipMetrics } from './sip/index.js';
import type { RetentionMetrics } from './store/event-retention.js';
import type { WriterMetrics } from './store/registration-writer.js';
import { SIP_METHODS } from './sip/index.js';

export interface LinewatchMetrics {
  readonly registry: Registry;
  readonly sip: SipMetrics;
  readonly writer: WriterMetrics;
  readonly retention: RetentionMetrics;
}


/**
 * A counter bumped per SIP message: a plain number per label combination, handed to prom-client
 * when scraped. prom-client hashes the label values on every `inc`, even on a label child, which
 * was ~1 % of the registrar's CPU at 6,000 registrations/s (bench/PERF-NOTES.md).
 */
function scrapedCounter(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
  const counts = new Map<string, { labels: string[]; n: number }>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, n } of counts.values()) this.labels(...labels).inc(n);
    },
  });
  return {
    inc(...labels: string[]): void {
      const key = labels.join('\u0000');
      const entry = counts.get(key);
      if (entry) entry.n++;
      else counts.set(key, { labels, n: 1 });
    },
  };
}

export function createMetrics(options: { collectProcess?: boolean } = {}): LinewatchMetrics {
  const registry = new Registry();
  if (options.collectProcess ?? true) collectDefaultMetrics({ register: registry, prefix: 'linewatch_' });
  const requests = scrapedCounter(registry, 'linewatch_sip_requests_total', 'SIP requests received, by method', ['method']);
  const responses = scrapedCounter(registry, 'linewatch_sip_responses_total', 'SIP responses sent, by method and status code', ['method', 'code']);
  const authFailures = new Counter({ name: 'linewatch_sip_auth_failures_total', help: 'Digest authentication failures, by kind', labelNames: ['kind'], registers: [registry] });
  // Set per registration but read only when scraped: keep the number, hand it over at collect time.
  let activeBindings = 0;
  new Gauge({
    name: 'linewatch_sip_active_bindings',
    help: 'Bindings currently registered',
    registers: [registry],
    collect() {
      this.set(activeBindings);
    },
  });
  const persistLatency = new Histogram({
    name: 'linewatch_sip_persist_seconds',
    help: 'Time a REGISTER waited for its binding change to be durable',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const retransmissions = new Counter({ name: 'linewatch_sip_retransmissions_total', help: 'Request retransmissions absorbed by transactions', registers: [registry] });
  const dropped = new Counter({ name: 'linewatch_sip_dropped_total', help: 'Datagrams/messages dropped, by reason', labelNames: ['reason'], registers: [registry] });
  const batchRows = new Histogram({
    name: 'linewatch_store_batch_rows',
    help: 'Rows (bindings + events) per group-commit transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'linewatch_store_batch_seconds',
    help: 'Duration of a group-commit transaction',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const batchFailures = new Counter({ name: 'linewatch_store_batch_failures_total', help: 'Group-commit transactions that failed (retried)', registers: [registry] });
  const eventsDeleted = new Counter({ name: 'linewatch_store_events_deleted_total', help: 'Registration events deleted by history retention', registers: [registry] });
  // Methods come from the network: any method outside RFC 3261/3262/3265/3311/3428/3515/6086 counts
  // as OTHER, so a flood of invented methods cannot grow the label set.
  const methodLabel = (method: string) => (SIP_METHODS.has(method) ? method : 'OTHER');
  return {
    registry,
    sip: {
      request: (method) => requests.inc(methodLabel(method)),
      response: (method, status) => responses.inc(methodLabel(method), String(status)),
      authFailure: (kind) => authFailures.inc({ kind }),
      activeBindings: (n) => {
        activeBindings = n;
      },
      persistLatency: (s) => persistLatency.observe(s),
      retransmission: () => retransmissions.inc(),
      dropped: (reason) => dropped.inc({ reason }),
    },
    writer: {
      batch: (rows, seconds) => {
        batchRows.observe(rows);
        batchSeconds.observe(seconds);
      },
      failure: () => batchFailures.inc(),
    },
    retention: { deleted: (count) => eventsDeleted.inc(count) },
  };
}
