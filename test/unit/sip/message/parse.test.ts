import { describe, it, expect } from 'vitest';
import {
  canonicalHeaderName, getHeader, getHeaderValues, parseCSeq, parseMessage, serializeMessage, type SipRequest,
} from '../../../../src/sip/message/index.js';

const base = (lines: string[], body = ''): Buffer =>
  Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
const HEAD = [
  'REGISTER sip:example.com SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'To: <sip:a@example.com>',
  'From: <sip:a@example.com>;tag=1', 'Call-ID: x', 'CSeq: 1 REGISTER',
];

function code(b: Buffer): string {
  const r = parseMessage(b);
  return r.ok ? 'ok' : r.code;
}

describe('parseMessage (RFC 3261 §7)', () => {
  it('parses a request with compact headers into canonical names', () => {
    const r = parseMessage(base([
      'REGISTER sip:example.com SIP/2.0', 'v: SIP/2.0/UDP h;branch=z9hG4bK1', 't: <sip:a@example.com>',
      'f: <sip:a@example.com>;tag=1', 'i: x', 'CSEQ: 1 REGISTER', 'm: <sip:a@h>', 'l: 2', 'k: path', 'c: text/plain',
    ], 'hi'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.headers.map((h) => h.name)).toEqual(['Via', 'To', 'From', 'Call-ID', 'CSeq', 'Contact', 'Content-Length', 'Supported', 'Content-Type']);
    expect(r.value.body.toString()).toBe('hi');
  });
  it('unfolds continuation lines to one space and tolerates bare LF and leading CRLF', () => {
    const r = parseMessage(Buffer.from(`\r\n\r\n${HEAD.join('\n')}\nSubject: a\n   b\n\tc\n\n`));
    expect(r.ok && getHeader(r.value, 'subject')).toBe('a b c');
  });
  it('body = Content-Length bytes; rest of datagram discarded; no Content-Length = rest', () => {
    const r = parseMessage(base([...HEAD, 'Content-Length: 3'], 'abcdef'));
    expect(r.ok && r.value.body.toString()).toBe('abc');
    const r2 = parseMessage(base(HEAD, 'abcdef'));
    expect(r2.ok && r2.value.body.toString()).toBe('abcdef');
  });
  it('parses responses incl. empty reason phrase', () => {
    const r = parseMessage(base(['SIP/2.0 401 Unauthorized', ...HEAD.slice(1)]));
    expect(r.ok && r.value.kind === 'response' && [r.value.status, r.value.reason]).toEqual([401, 'Unauthorized']);
    const r2 = parseMessage(base(['SIP/2.0 100', ...HEAD.slice(1)]));
    expect(r2.ok && r2.value.kind === 'response' && r2.value.reason).toBe('');
  });
  it.each([
    ['SIP_ERR_EMPTY', Buffer.from('\r\n\r\n')],
    ['SIP_ERR_INCOMPLETE_HEADERS', Buffer.from(HEAD.join('\r\n'))],
    ['SIP_ERR_START_LINE', base(['REGISTER sip:example.com', ...HEAD.slice(1)])],
    ['SIP_ERR_START_LINE', base(['REGISTER sip:example.com SIP/2.0 ', ...HEAD.slice(1)])],
    ['SIP_ERR_VERSION', base(['REGISTER sip:example.com SIP/3.0', ...HEAD.slice(1)])],
    ['SIP_ERR_REQUEST_URI', base(['REGISTER <sip:example.com> SIP/2.0', ...HEAD.slice(1)])],
    ['SIP_ERR_STATUS_CODE', base(['SIP/2.0 99 Low', ...HEAD.slice(1)])],
    ['SIP_ERR_STATUS_CODE', base(['SIP/2.0 700 High', ...HEAD.slice(1)])],
    ['SIP_ERR_HEADER_SYNTAX', base([...HEAD, 'NoColonHere'])],
    ['SIP_ERR_HEADER_SYNTAX', base([...HEAD, ': empty name'])],
    ['SIP_ERR_HEADER_SYNTAX', base([HEAD[0]!, ' folded first', ...HEAD.slice(1)])],
    ['SIP_ERR_MISSING_HEADER', base(HEAD.filter((h) => !h.startsWith('Via')))],
    ['SIP_ERR_DUPLICATE_HEADER', base([...HEAD, 'i: y'])],
    ['SIP_ERR_CSEQ', base([...HEAD.slice(0, 5), 'CSeq: one REGISTER'])],
    ['SIP_ERR_CSEQ', base([...HEAD.slice(0, 5), 'CSeq: 4294967296 REGISTER'])],
    ['SIP_ERR_CSEQ_METHOD', base([...HEAD.slice(0, 5), 'CSeq: 1 INVITE'])],
    ['SIP_ERR_CONTENT_LENGTH', base([...HEAD, 'Content-Length: -1'])],
    ['SIP_ERR_CONTENT_LENGTH', base([...HEAD, 'Content-Length: 1x'])],
    ['SIP_ERR_CONTENT_LENGTH', base([...HEAD, 'Content-Length: 10'], 'short')],
  ])('refuses with %s', (expected, bytes) => {
    expect(code(bytes)).toBe(expected);
  });
  it('never throws on non-Buffer input', () => {
    expect(parseMessage(undefined as unknown as Buffer).ok).toBe(false);
  });
});

describe('parseCSeq', () => {
  it('accepts leading zeros and LWS', () => {
    expect(parseCSeq(' 0009   INVITE ')).toEqual({ ok: true, value: { seq: 9, method: 'INVITE' } });
    expect(parseCSeq('4294967295 REGISTER').ok).toBe(true);
    expect(parseCSeq('1REGISTER').ok).toBe(false);
    expect(parseCSeq('1 REGISTER x').ok).toBe(false);
  });
});

describe('header accessors (RFC 3261 §7.3)', () => {
  const msg = (parseMessage(base([
    ...HEAD, 'Via: SIP/2.0/UDP p1;branch=z9hG4bK2, SIP/2.0/UDP p2;branch=z9hG4bK3', 'Allow: INVITE, ACK,REGISTER',
    'WWW-Authenticate: Digest realm="a, b", nonce="n"', 'User-Agent: Foo, Bar', 'X-Custom: 1',
  ])) as { value: SipRequest }).value;
  it('getHeader is case-insensitive and compact-form equivalent', () => {
    for (const n of ['Call-ID', 'call-id', 'CALL-ID', 'i', 'I']) expect(getHeader(msg, n)).toBe('x');
    expect(getHeader(msg, 'x-custom')).toBe('1');
    expect(getHeader(msg, 'Nope')).toBeUndefined();
  });
  it('getHeaderValues splits list headers only', () => {
    expect(getHeaderValues(msg, 'v')).toHaveLength(3);
    expect(getHeaderValues(msg, 'allow')).toEqual(['INVITE', 'ACK', 'REGISTER']);
    expect(getHeaderValues(msg, 'WWW-Authenticate')).toEqual(['Digest realm="a, b", nonce="n"']);
    expect(getHeaderValues(msg, 'User-Agent')).toEqual(['Foo, Bar']);
  });
  it('canonicalHeaderName', () => {
    expect(['cseq', 'www-authenticate', 'o', 'y', 'X-Foo'].map(canonicalHeaderName)).toEqual(['CSeq', 'WWW-Authenticate', 'Event', 'Identity', 'X-Foo']);
  });
  it('serializeMessage writes CRLF and a correct Content-Length', () => {
    const out = serializeMessage({ ...msg, body: Buffer.from('xyz') }).toString();
    expect(out.startsWith('REGISTER sip:example.com SIP/2.0\r\nVia: ')).toBe(true);
    expect(out.endsWith('Content-Length: 3\r\n\r\nxyz')).toBe(true);
  });
});
