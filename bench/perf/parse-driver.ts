/**
 * Deterministic parser driver for instruction counting: parses the REGISTER of
 * bench/sip-parse.bench.ts N times (mode `parse`) or parses it and runs the registrar's accessors
 * (mode `accessors`). Usage: node --single-threaded bench/perf/dist/parse-driver.mjs [mode] [n]
 * (after 20,000 warm-up iterations; prints CPU ns/op too).
 */
import { getHeader, getHeaderValues, parseContactList, parseDigestCredentials, parseMessage, parseNameAddr, parseVia } from '../../src/sip/message/index.js';
import { REGISTER } from './fixture.js';

const mode = process.argv[2] ?? 'parse';
const n = Number(process.argv[3] ?? 20_000);
/** Warm-up iterations (not counted) so that the measured ones run optimised code. */
const WARMUP = 20_000;
let okCount = 0;
function once(): boolean {
  const r = parseMessage(REGISTER);
  if (!r.ok) return false;
  if (mode === 'parse') return true;
  const via = parseVia(getHeaderValues(r.value, 'Via')[0]!);
  const to = parseNameAddr(getHeader(r.value, 'To')!);
  const contact = parseContactList(getHeader(r.value, 'Contact')!);
  const auth = parseDigestCredentials(getHeader(r.value, 'Authorization')!);
  return via.ok && to.ok && contact.ok && auth.ok;
}
for (let i = 0; i < WARMUP; i++) once();
const cpu0 = process.cpuUsage();
for (let i = 0; i < n; i++) if (once()) okCount++;
const cpu = process.cpuUsage(cpu0);
console.log(`${mode} n=${n} ok=${okCount} cpu ${(((cpu.user + cpu.system) / Math.max(1, n)) * 1000).toFixed(0)} ns/op`);
if (okCount !== n) process.exitCode = 1;
