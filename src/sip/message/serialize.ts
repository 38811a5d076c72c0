/**
 * Message serialisation.
 *
 * @remarks
 * RFC 3261 §7 (https://www.rfc-editor.org/rfc/rfc3261#section-7): CRLF line ends, one header field
 * per line, an empty line, then the body. RFC 3261 §20.14: "The Content-Length header field value
 * MUST be present" on stream transports, so it is always written, with the real body length: an
 * existing Content-Length is rewritten in place, otherwise one is appended. CR/LF inside a value
 * would inject header lines; they are replaced by spaces.
 */
import type { SipHeaderField, SipMessage, SipResponse } from './types.js';

function safe(value: string): string {
  return value.indexOf('\r') === -1 && value.indexOf('\n') === -1 ? value : value.replace(/[\r\n]+/g, ' ');
}

function headerBlock(startLine: string, headers: readonly SipHeaderField[], bodyLength: number): string {
  let out = `${startLine}\r\n`;
  let wroteLength = false;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h.name === 'Content-Length' || h.name.toLowerCase() === 'content-length') {
      if (wroteLength) continue;
      wroteLength = true;
      out += `Content-Length: ${bodyLength}\r\n`;
      continue;
    }
    out += `${h.name}: ${safe(h.value)}\r\n`;
  }
  if (!wroteLength) out += `Content-Length: ${bodyLength}\r\n`;
  return `${out}\r\n`;
}

function assemble(head: string, body: Buffer): Buffer {
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLen);
  return out;
}

/** Serialise a response; the fast path used for every reply the registrar sends. */
export function serializeResponse(resp: SipResponse): Buffer {
  return assemble(headerBlock(`SIP/2.0 ${resp.status} ${safe(resp.reason)}`, resp.headers, resp.body.length), resp.body);
}

/**
 * Serialise a request or response to wire bytes.
 *
 * @remarks `parseMessage(serializeMessage(m))` yields `m` with canonical header names and a correct
 * Content-Length (see the round-trip property test).
 */
export function serializeMessage(msg: SipMessage): Buffer {
  if (msg.kind === 'response') return serializeResponse(msg);
  return assemble(headerBlock(`${msg.method} ${msg.requestUri} SIP/2.0`, msg.headers, msg.body.length), msg.body);
}
