/**
 * Properties of the SIP message layer (house style: parse never throws, parse∘serialize ≡ id,
 * header names case-insensitive and compact-form equivalent, framing survives any split).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canonicalHeaderName, COMPACT_FORMS, getHeader, parseContactList, parseDigestCredentials, parseMessage, parseNameAddr,
  parseUri, parseVia, serializeMessage, type SipHeaderField, type SipRequest, type SipResponse,
} from '../../src/sip/message/index.js';
import { StreamFramer, type FramerOutput } from '../../src/sip/transport/stream-framer.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = process.env.LINEWATCH_CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');

function corpusMessages(): Buffer[] {
  if (!existsSync(corpusDir)) throw new Error(`corpus missing at ${corpusDir}`);
  const out: Buffer[] = [];
  for (const sub of ['rfc4475', 'rfc5118', 'rfc5118/wire']) {
    const dir = path.join(corpusDir, sub);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.dat'))) out.push(readFileSync(path.join(dir, f)));
  }
  return out;
}

const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.!%*_+`'~-]{0,11}$/);
const headerValue = fc.stringMatching(/^([!-~\u00e9\u5927]([ \t!-~\u00e9]{0,30}[!-~])?)?$/);
const SPECIAL = new Set(['To', 'From', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Via']);
const extraHeader = fc
  .record({ name: fc.oneof(token, fc.constantFrom('Contact', 'Allow', 'Supported', 'Subject', 'Expires', 'User-Agent', 'x', 'm', 'k')), value: headerValue })
  .map(({ name, value }): SipHeaderField => ({ name: canonicalHeaderName(name), value }))
  .filter((h) => !SPECIAL.has(h.name));

const mandatory = (method: string, seq: number): SipHeaderField[] => [
  { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-p' },
  { name: 'To', value: '<sip:alice@example.com>' },
  { name: 'From', value: '<sip:alice@example.com>;tag=1' },
  { name: 'Call-ID', value: 'prop@example.com' },
  { name: 'CSeq', value: `${seq} ${method}` },
];

const request = fc
  .record({
    method: token,
    user: fc.stringMatching(/^[a-z0-9]{1,8}$/),
    seq: fc.integer({ min: 0, max: 0xffffffff }),
    extras: fc.array(extraHeader, { maxLength: 8 }),
    body: fc.uint8Array({ maxLength: 64 }),
  })
  .map(({ method, user, seq, extras, body }): SipRequest => ({
    kind: 'request', method, requestUri: `sip:${user}@example.com`, version: 'SIP/2.0',
    headers: [...mandatory(method, seq), ...extras, { name: 'Content-Length', value: String(body.length) }],
    body: Buffer.from(body),
  }));

const response = fc
  .record({
    status: fc.integer({ min: 100, max: 699 }),
    reason: fc.stringMatching(/^([!-~]([ !-~]{0,20}[!-~])?)?$/),
    extras: fc.array(extraHeader, { maxLength: 6 }),
    body: fc.uint8Array({ maxLength: 32 }),
  })
  .map(({ status, reason, extras, body }): SipResponse => ({
    kind: 'response', status, reason, version: 'SIP/2.0',
    headers: [...mandatory('REGISTER', 1), ...extras, { name: 'Content-Length', value: String(body.length) }],
    body: Buffer.from(body),
  }));

describe('parseMessage never throws', () => {
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      const r = parseMessage(Buffer.from(bytes));
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.code).not.toBe('SIP_ERR_INTERNAL');
    }), { numRuns: 2000 });
  });

  it('on mutated corpus messages, and the accessors never throw on what it yields', () => {
    const corpus = corpusMessages();
    const mutation = fc.record({
      index: fc.nat({ max: corpus.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom('flip', 'delete', 'insert', 'truncate'), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(fc.property(mutation, ({ index, edits }) => {
      let b = Buffer.from(corpus[index]!);
      for (const [at, op, byte] of edits) {
        const p = b.length === 0 ? 0 : at % b.length;
        if (op === 'flip') b[p] = byte;
        else if (op === 'delete') b = Buffer.concat([b.subarray(0, p), b.subarray(p + 1)]);
        else if (op === 'insert') b = Buffer.concat([b.subarray(0, p), Buffer.from([byte]), b.subarray(p)]);
        else b = b.subarray(0, p);
      }
      const r = parseMessage(b);
      if (!r.ok) {
        expect(r.code).not.toBe('SIP_ERR_INTERNAL');
        return;
      }
      for (const h of r.value.headers) {
        parseVia(h.value);
        parseNameAddr(h.value);
        parseContactList(h.value);
        parseDigestCredentials(h.value);
        parseUri(h.value);
      }
    }), { numRuns: 3000 });
  });

  it('accessors never throw on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (s) => {
      for (const f of [parseUri, parseNameAddr, parseContactList, parseVia, parseDigestCredentials]) {
        expect(typeof f(s).ok).toBe('boolean');
      }
    }), { numRuns: 3000 });
  });
});

describe('parseMessage(serializeMessage(m)) ≡ m', () => {
  it('for requests and responses', () => {
    fc.assert(fc.property(fc.oneof(request, response), (m) => {
      const r = parseMessage(serializeMessage(m));
      expect(r.ok).toBe(true);
      if (r.ok) expect({ ...r.value, body: Buffer.from(r.value.body) }).toEqual(m);
    }), { numRuns: 1000 });
  });
});

describe('header names', () => {
  const anyCase = (s: string) =>
    fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) =>
      [...s].map((ch, i) => (up[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));
  it('match case-insensitively and in compact form', () => {
    const pairs = [...COMPACT_FORMS];
    fc.assert(fc.property(fc.constantFrom(...pairs), fc.boolean(), headerValue, (pair, useCompact, value) => {
      const [compact, long] = pair;
      return fc.assert(fc.property(anyCase(long), anyCase(compact), (wireLong, query) => {
        const wireName = useCompact ? compact.toUpperCase() : wireLong;
        const m = parseMessage(Buffer.from(
          `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nTo: <sip:a@b>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nX-Before: 0\r\n${SPECIAL.has(long) ? '' : `${wireName}: ${value}\r\n`}\r\n`,
        ));
        expect(m.ok).toBe(true);
        if (!m.ok || SPECIAL.has(long)) return;
        expect(getHeader(m.value, query)).toBe(value);
        expect(getHeader(m.value, wireLong)).toBe(value);
      }), { numRuns: 5 });
    }), { numRuns: 200 });
  });
});

describe('StreamFramer', () => {
  const wireMessage = fc.oneof(request, response).map((m) => serializeMessage(m));
  const item = fc.oneof(
    { weight: 3, arbitrary: wireMessage.map((bytes) => ({ kind: 'message' as const, bytes })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'keepalive' as const, bytes: Buffer.from('\r\n\r\n') }) },
  );
  it('yields the same messages and keepalives for every split of the stream', () => {
    fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (items, cuts) => {
      const stream = Buffer.concat(items.map((i) => i.bytes));
      const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
      const framer = new StreamFramer({ maxMessageBytes: 65536 });
      const out: FramerOutput[] = [];
      let prev = 0;
      for (const p of [...points, stream.length]) {
        out.push(...framer.push(stream.subarray(prev, p)));
        prev = p;
      }
      expect(out.map((o) => (o.type === 'message' ? o.bytes.toString('latin1') : o.type))).toEqual(
        items.map((i) => (i.kind === 'message' ? i.bytes.toString('latin1') : 'keepalive')),
      );
    }), { numRuns: 500 });
  });
  it('byte-by-byte equals one push', () => {
    fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 3 }), (items) => {
      const stream = Buffer.concat(items.map((i) => i.bytes));
      const whole = new StreamFramer({ maxMessageBytes: 65536 }).push(stream);
      const f = new StreamFramer({ maxMessageBytes: 65536 });
      const bytewise: FramerOutput[] = [];
      for (let i = 0; i < stream.length; i++) bytewise.push(...f.push(stream.subarray(i, i + 1)));
      expect(bytewise).toEqual(whole);
    }), { numRuns: 100 });
  });
});
