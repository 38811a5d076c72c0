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

const REGISTER = Buffer.from(
  'REGISTER sip:pbx.example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/UDP 192.0.2.44:5060;branch=z9hG4bK-524287-1---7f1a2b3c4d5e6f70;rport\r\n' +
    'Max-Forwards: 70\r\n' +
    'Contact: <sip:1001@192.0.2.44:5060;transport=udp;rinstance=8a3c1e0f2b4d6a8c>;expires=3600;+sip.instance="<urn:uuid:3d8a9c1e-0f2b-4d6a-8c3e-1f0a2b4c6d8e>"\r\n' +
    'To: <sip:1001@pbx.example.com>\r\n' +
    'From: "Desk 1001" <sip:1001@pbx.example.com>;tag=5b7c9d1e\r\n' +
    'Call-ID: ZDk4YjQ1ZTA2YjU1NDFmNmE4ZDc5ZDU4ZWQ0MjM1NTk.\r\n' +
    'CSeq: 2 REGISTER\r\n' +
    'Expires: 3600\r\n' +
    'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\r\n' +
    'Supported: replaces, norefersub, extended-refer, timer, outbound, path, X-cisco-serviceuri\r\n' +
    'User-Agent: Zoiper rv2.10.19.5\r\n' +
    'Authorization: Digest username="1001",realm="pbx.example.com",nonce="Z2V0LW5vbmNlLTE3MDAwMDAwMDAtYWJjZGVm",uri="sip:pbx.example.com",response="3f1c9f0a2b4d6e8f0a1b2c3d4e5f6a7b",cnonce="a1b2c3d4",nc=00000001,qop=auth,algorithm=MD5\r\n' +
    'Allow-Events: presence, kpml, talk\r\n' +
    'Content-Length: 0\r\n\r\n',
);

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
