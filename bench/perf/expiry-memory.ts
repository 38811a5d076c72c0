/**
 * Heap kept by the expiry schedule when phones refresh long before their bindings expire: 10,000
 * bindings granted 3,600 s, each refreshed 60 times (every 60 s). Each refresh makes a new record
 * and a schedule entry; a superseded entry keeps its old record until the old expiry unless the
 * schedule is compacted as the registrar does (bench/PERF-NOTES.md #29).
 * Usage: node --expose-gc --import tsx bench/perf/expiry-memory.ts [compact]
 */
import { BindingTable } from '../../src/sip/registrar/binding-table.js';
import { ExpirySchedule } from '../../src/sip/registrar/expiry-schedule.js';
import type { BindingRecord } from '../../src/sip/registrar/delegates.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const compact = process.argv[2] === 'compact';
const LINES = 10_000;
const REFRESHES = 60;

// Strings built at run time, as the registrar's detached copies of the request text are.
const record = (i: number, refresh: number): BindingRecord => ({
  unique: `07000${i}`, contact: `sip:07000${i}@192.0.2.${i % 250}:5060;transport=udp`.slice(0), source: `192.0.2.${i % 250}:5060`,
  transport: 'udp', userAgent: `Yealink SIP-T46U 108.86.0.${i % 50}`, callId: `call-${i}-${refresh}@phone`, cseq: refresh, path: [],
  instanceId: null, regId: null, q: null, requestedExpires: 3600, grantedExpires: 3600, registeredAt: 0, refreshedAt: refresh * 60_000,
  expiresAt: 3_600_000 + refresh * 60_000,
});

const table = new BindingTable();
const schedule = new ExpirySchedule();
gc();
const before = process.memoryUsage().heapUsed;
for (let refresh = 0; refresh < REFRESHES; refresh++) {
  for (let i = 0; i < LINES; i++) {
    const r = record(i, refresh);
    table.set(r.unique, [r]);
    schedule.add(r);
    if (compact && schedule.needsCompaction(table.size)) schedule.compact(table.records());
  }
}
gc();
const after = process.memoryUsage().heapUsed;
console.log(
  `${compact ? 'with' : 'without'} compaction: ${LINES} bindings refreshed ${REFRESHES} times within their expiry: ` +
    `${schedule.size} schedule entries, heap +${((after - before) / 1e6).toFixed(1)} MB`,
);
