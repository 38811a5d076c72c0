import { describe, it, expect } from 'vitest';
import { StreamFramer, type FramerOutput } from '../../../../src/sip/transport/stream-framer.js';

const msg = (cl: number, body = 'x'.repeat(cl), clHeader = `Content-Length: ${cl}`): string =>
  `OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nCall-ID: c\r\n${clHeader}\r\n\r\n${body}`;

function feed(f: StreamFramer, chunks: string[]): FramerOutput[] {
  return chunks.flatMap((c) => f.push(Buffer.from(c, 'latin1')));
}
function summary(out: FramerOutput[]): string[] {
  return out.map((o) => (o.type === 'message' ? `msg:${o.bytes.toString('latin1')}` : o.type));
}

describe('StreamFramer (RFC 3261 §18.3, RFC 5626 §3.5.1)', () => {
  it('cuts pipelined messages by Content-Length', () => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    const a = msg(3, 'abc');
    const b = msg(0);
    expect(summary(feed(f, [a + b]))).toEqual([`msg:${a}`, `msg:${b}`]);
  });

  it('handles a byte-by-byte split', () => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    const a = msg(5, 'hello');
    expect(summary(feed(f, a.split('')))).toEqual([`msg:${a}`]);
  });

  it('emits one keepalive per CRLFCRLF between messages and ignores stray CRLF', () => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    const a = msg(0);
    expect(summary(feed(f, ['\r\n\r\n', '\r\n', '\r', '\n\r\n\r\n', a, '\r\n', a]))).toEqual([
      'keepalive', 'keepalive', 'keepalive', `msg:${a}`, `msg:${a}`,
    ]);
  });

  it('accepts the compact form l: and bare-LF header sections', () => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    const a = 'OPTIONS sip:a@b SIP/2.0\nl: 2\n\nhi';
    expect(summary(feed(f, [a]))).toEqual([`msg:${a}`]);
  });

  it('MUST have Content-Length on a stream: missing is an error, then the framer is closed', () => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    const out = feed(f, ['OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n', msg(0)]);
    expect(out).toEqual([{ type: 'error', reason: expect.stringMatching(/Content-Length/) }]);
    expect(f.push(Buffer.from(msg(0)))).toEqual([]);
  });

  it.each([
    ['negative (RFC 4475 ncl)', 'Content-Length: -999'],
    ['non-numeric', 'Content-Length: abc'],
    ['repeated (RFC 4475 mcl01)', 'Content-Length: 13\r\nContent-Length: 5'],
  ])('refuses a %s Content-Length', (_name, header) => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    expect(summary(feed(f, [msg(0, '', header)]))).toEqual(['error']);
  });

  it('refuses messages larger than maxMessageBytes (declared or header section)', () => {
    expect(summary(feed(new StreamFramer({ maxMessageBytes: 200 }), [msg(500)]))).toEqual(['error']);
    const endless = new StreamFramer({ maxMessageBytes: 200 });
    const out = feed(endless, ['OPTIONS sip:a@b SIP/2.0\r\n', ...Array.from({ length: 20 }, () => 'X-Pad: 0123456789\r\n')]);
    expect(summary(out)).toEqual(['error']);
  });

  it('waits for the rest of a body (RFC 4475 clerr on TCP)', () => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    const a = msg(10, '0123456789');
    expect(feed(f, [a.slice(0, -4)])).toEqual([]);
    expect(summary(feed(f, [a.slice(-4)]))).toEqual([`msg:${a}`]);
  });

  it('returns messages that do not alias the caller’s chunk', () => {
    const f = new StreamFramer({ maxMessageBytes: 4096 });
    const chunk = Buffer.from(msg(0));
    const [out] = f.push(chunk);
    chunk.fill(0);
    expect(out?.type === 'message' && out.bytes.toString()).toBe(msg(0));
  });
});
