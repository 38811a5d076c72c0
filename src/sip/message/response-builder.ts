/**
 * Building a response to a request.
 *
 * @remarks
 * RFC 3261 §8.2.6 (https://www.rfc-editor.org/rfc/rfc3261#section-8.2.6.2). Works on the raw header
 * values, so a response costs no re-parsing; the To tag check is a quote-aware scan for `;tag=`.
 */
import { randomBytes } from 'node:crypto';
import type { SipHeaderField, SipRequest, SipResponse } from './types.js';

/** Extra content for {@link buildResponse}. */
export interface ResponseExtras {
  /** Appended after the copied headers (e.g. `WWW-Authenticate`, `Contact`, `Expires`, `Server`). */
  readonly headers?: readonly SipHeaderField[];
  readonly body?: Buffer;
  /** To tag to add when the request's To has none; a random one otherwise. */
  readonly toTag?: string;
}

const EMPTY = Buffer.alloc(0);

/** Whether a To/From value carries a `tag` header parameter (outside quotes and `<>`). */
export function hasTagParam(value: string): boolean {
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (c === 0x3c) inAngle = true;
    else if (c === 0x3e) inAngle = false;
    else if (c === 0x3b && !inAngle) {
      let j = i + 1;
      while (j < value.length && (value.charCodeAt(j) === 0x20 || value.charCodeAt(j) === 0x09)) j++;
      if (value.slice(j, j + 3).toLowerCase() === 'tag') {
        let k = j + 3;
        while (k < value.length && (value.charCodeAt(k) === 0x20 || value.charCodeAt(k) === 0x09)) k++;
        if (k === value.length || value.charCodeAt(k) === 0x3d || value.charCodeAt(k) === 0x3b) return true;
      }
    }
  }
  return false;
}

/** A fresh To tag: 64 random bits (RFC 3261 §19.3 asks for at least 32). */
export function newTag(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Build a response to `request`.
 *
 * @remarks RFC 3261 §8.2.6.2: "The From field of the response MUST equal the From header field of
 * the request. The Call-ID header field of the response MUST equal the Call-ID header field of the
 * request. The CSeq header field of the response MUST equal the CSeq field of the request. The Via
 * header field values in the response MUST equal the Via header field values in the request and
 * MUST maintain the same ordering." and "If a request contained a To tag in the request, the To
 * header field in the response MUST equal that of the request. However, if the To header field in
 * the request did not contain a tag, the URI in the To header field in the response MUST equal the
 * URI in the To header field; additionally, the UAS MUST add a tag to the To header field in the
 * response (with the exception of the 100 (Trying) response, in which a tag MAY be present)."
 * §8.2.6.1: a 100 copies Timestamp. Content-Length is always added (§20.14); any Content-Length in
 * `extra.headers` is ignored. No Server header is added unless passed in `extra.headers`.
 */
export function buildResponse(
  request: SipRequest,
  status: number,
  reason: string,
  extra?: { headers?: readonly SipHeaderField[]; body?: Buffer; toTag?: string },
): SipResponse {
  const headers: SipHeaderField[] = [];
  const src = request.headers;
  for (let i = 0; i < src.length; i++) {
    if (src[i]!.name === 'Via') headers.push(src[i]!);
  }
  for (let i = 0; i < src.length; i++) {
    const h = src[i]!;
    switch (h.name) {
      case 'From':
      case 'Call-ID':
      case 'CSeq':
        headers.push(h);
        break;
      case 'To':
        headers.push(status > 100 && !hasTagParam(h.value) ? { name: 'To', value: `${h.value};tag=${extra?.toTag ?? newTag()}` } : h);
        break;
      case 'Timestamp':
        if (status === 100) headers.push(h);
        break;
    }
  }
  if (extra?.headers !== undefined) {
    for (const h of extra.headers) if (h.name.toLowerCase() !== 'content-length') headers.push(h);
  }
  const body = extra?.body ?? EMPTY;
  headers.push({ name: 'Content-Length', value: String(body.length) });
  return { kind: 'response', status, reason, version: 'SIP/2.0', headers, body };
}
