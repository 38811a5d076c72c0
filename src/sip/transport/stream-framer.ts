/**
 * Cuts a TCP byte stream into SIP messages and RFC 5626 keepalive pings.
 *
 * @remarks
 * RFC 3261 §18.3 (https://www.rfc-editor.org/rfc/rfc3261#section-18.3): "In the case of
 * stream-oriented transports such as TCP, the Content-Length header field indicates the size of the
 * body. All SIP implementations MUST use the Content-Length header field for messages sent over
 * stream-oriented transports." Without it the stream cannot be re-synchronised, so a missing,
 * repeated or invalid Content-Length is an error after which the transport closes the connection
 * (RFC 4475 §3.1.2.3 ncl, §3.3.9 mcl01).
 * RFC 5626 §3.5.1 (https://www.rfc-editor.org/rfc/rfc5626#section-3.5.1): a "ping" is a double CRLF
 * between messages, which the transport answers with a single CRLF "pong". One `keepalive` is
 * emitted per CRLFCRLF; other stray CR/LF between messages are ignored (RFC 3261 §7.5).
 * Cost: every header byte is looked at once by a small state machine, body bytes not at all; chunks
 * are kept as views and concatenated once per message (no quadratic re-buffering).
 */

/** What {@link StreamFramer.push} yields. */
export type FramerOutput =
  | { readonly type: 'message'; readonly bytes: Buffer }
  | { readonly type: 'keepalive' }
  | { readonly type: 'error'; readonly reason: string };

/** Options of {@link StreamFramer}. */
export interface StreamFramerOptions {
  /** Largest message (header section plus body) accepted; larger ones are an error. */
  readonly maxMessageBytes: number;
}

type Mode = 'idle' | 'headers' | 'body' | 'closed';

const CR = 0x0d;
const LF = 0x0a;

/**
 * Stateful framer for one connection. After an `error` output it stays closed and yields nothing.
 */
export class StreamFramer {
  private readonly maxMessageBytes: number;
  private mode: Mode = 'idle';
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** idle: 0 nothing, 1 CR, 2 CRLF, 3 CRLF CR. */
  private pingState = 0;
  /** headers: non-CR bytes on the current line, and whether a line has ended yet. */
  private lineLength = 0;
  private sawLineEnd = false;
  private header: Buffer | null = null;
  private bodyNeeded = 0;

  constructor(opts: StreamFramerOptions) {
    this.maxMessageBytes = opts.maxMessageBytes;
  }

  /** Whether part of a message has arrived and the rest has not (for a per-message deadline). */
  get midMessage(): boolean {
    return this.mode === 'headers' || this.mode === 'body';
  }

  /** Feed the next chunk of the stream; returns the complete messages, pings and errors it finishes. */
  push(chunk: Buffer): FramerOutput[] {
    const out: FramerOutput[] = [];
    let off = 0;
    const len = chunk.length;
    while (off < len && this.mode !== 'closed') {
      if (this.mode === 'idle') {
        off = this.scanIdle(chunk, off, out);
      } else if (this.mode === 'headers') {
        off = this.scanHeaders(chunk, off, out);
      } else {
        const take = Math.min(this.bodyNeeded, len - off);
        this.parts.push(chunk.subarray(off, off + take));
        this.bodyNeeded -= take;
        off += take;
        if (this.bodyNeeded === 0) this.finishMessage(out);
      }
    }
    return out;
  }

  private scanIdle(chunk: Buffer, off: number, out: FramerOutput[]): number {
    for (; off < chunk.length; off++) {
      const c = chunk[off]!;
      if (c === CR) {
        this.pingState = this.pingState === 2 ? 3 : 1;
      } else if (c === LF) {
        if (this.pingState === 1) this.pingState = 2;
        else if (this.pingState === 3) {
          out.push({ type: 'keepalive' });
          this.pingState = 0;
        } else this.pingState = 0;
      } else {
        this.pingState = 0;
        this.mode = 'headers';
        this.lineLength = 0;
        this.sawLineEnd = false;
        return off;
      }
    }
    return off;
  }

  private scanHeaders(chunk: Buffer, off: number, out: FramerOutput[]): number {
    const start = off;
    for (; off < chunk.length; off++) {
      const c = chunk[off]!;
      if (c === LF) {
        if (this.lineLength === 0 && this.sawLineEnd) {
          this.parts.push(chunk.subarray(start, off + 1));
          this.partsLength += off + 1 - start;
          this.headersComplete(out);
          return off + 1;
        }
        this.sawLineEnd = true;
        this.lineLength = 0;
      } else if (c !== CR) {
        this.lineLength++;
      }
    }
    this.parts.push(chunk.subarray(start));
    this.partsLength += chunk.length - start;
    if (this.partsLength > this.maxMessageBytes) this.fail(out, 'header section larger than maxMessageBytes');
    return off;
  }

  private headersComplete(out: FramerOutput[]): void {
    if (this.partsLength > this.maxMessageBytes) {
      this.fail(out, 'header section larger than maxMessageBytes');
      return;
    }
    const header = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsLength);
    const cl = contentLengthOf(header.toString('latin1'));
    if (typeof cl === 'string') {
      this.fail(out, cl);
      return;
    }
    if (header.length + cl > this.maxMessageBytes) {
      this.fail(out, 'message larger than maxMessageBytes');
      return;
    }
    this.header = header;
    this.parts = [];
    this.partsLength = 0;
    this.bodyNeeded = cl;
    this.mode = 'body';
    if (cl === 0) this.finishMessage(out);
  }

  private finishMessage(out: FramerOutput[]): void {
    const header = this.header!;
    const bytes = this.parts.length === 0 ? Buffer.from(header) : Buffer.concat([header, ...this.parts]);
    out.push({ type: 'message', bytes });
    this.header = null;
    this.parts = [];
    this.partsLength = 0;
    this.mode = 'idle';
  }

  private fail(out: FramerOutput[], reason: string): void {
    out.push({ type: 'error', reason });
    this.mode = 'closed';
    this.parts = [];
    this.header = null;
  }
}

/**
 * Content-Length of a header section (compact `l` included, folding tolerated), or an error reason.
 */
function contentLengthOf(text: string): number | string {
  let value: string | null = null;
  let current = false;
  let pos = text.indexOf('\n') + 1; // skip the start line
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    const line = text.slice(pos, nl);
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      if (current) value += ` ${line.trim()}`;
    } else {
      current = false;
      const colon = line.indexOf(':');
      if (colon > 0) {
        const name = line.slice(0, colon).trim().toLowerCase();
        if (name === 'content-length' || name === 'l') {
          if (value !== null) return 'more than one Content-Length';
          value = line.slice(colon + 1).trim();
          current = true;
        }
      }
    }
    pos = nl + 1;
  }
  if (value === null) return 'Content-Length is required on stream transports';
  const v = value.trim();
  if (!/^[0-9]{1,10}$/.test(v)) return 'invalid Content-Length';
  return Number(v);
}
