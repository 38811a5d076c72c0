/**
 * Micro-benchmark of the REGISTER hot path: parseMessage on a typical authenticated REGISTER, plus
 * the accessors the registrar calls on it. Run: `npx tsx bench/sip-parse.bench.ts`.
 */
import {
  getHeader, getHeaderValues, parseContactList, parseDigestCredentials, parseMessage, parseNameAddr, parseVia,
  buildResponse, serializeResponse,
} from '../src/sip/message/index.js';
import type { SipRequest } from '../src/sip/message/index.js';
import { cpus, loadavg } from 'node:os';

import { REGISTER } from './perf/fixture.js';

function bench(name: string, iterations: number, fn: () => unknown): void {
  for (let i = 0; i < 20_000; i++) fn(); // warm-up so the JIT has optimised the path
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < iterations; i++) if (fn()) sink++;
  const ns = Number(process.hrtime.bigint() - t0) / iterations;
  console.log(`${name.padEnd(48)} ${ns.toFixed(0).padStart(6)} ns/op  (${iterations} iterations, ${sink === iterations ? 'ok' : 'FAILED'})`);
}

const N = 200_000;
// The machine is shared: print the load and a reference operation so runs can be compared.
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
bench(`reference: REGISTER.toString('latin1')`, N, () => REGISTER.toString('latin1').length > 0);
bench(`parseMessage(REGISTER ${REGISTER.length} B with Authorization)`, N, () => parseMessage(REGISTER).ok);

const parsed = parseMessage(REGISTER);
if (!parsed.ok || parsed.value.kind !== 'request') throw new Error('fixture does not parse');
const req: SipRequest = parsed.value;
bench('parse + Via/To/Contact/Authorization accessors', N, () => {
  const r = parseMessage(REGISTER);
  if (!r.ok) return false;
  const via = parseVia(getHeaderValues(r.value, 'Via')[0]!);
  const to = parseNameAddr(getHeader(r.value, 'To')!);
  const contact = parseContactList(getHeader(r.value, 'Contact')!);
  const auth = parseDigestCredentials(getHeader(r.value, 'Authorization')!);
  return via.ok && to.ok && contact.ok && auth.ok;
});
bench('buildResponse(200) + serializeResponse', N, () =>
  serializeResponse(buildResponse(req, 200, 'OK', { toTag: 'abc123', headers: [{ name: 'Expires', value: '3600' }] })).length > 0);
