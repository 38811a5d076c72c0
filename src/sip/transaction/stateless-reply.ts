/**
 * Stateless replies to requests that cannot start a transaction (malformed or oversized).
 *
 * @remarks
 * RFC 3261 §8.1.3.5/§21.4.1: a request that fails to parse is answered 400 "with a reason phrase
 * that describes the problem" when the request line and Via can still be read, since a response
 * needs the Via to be routed (§18.2.2); otherwise it is dropped. Oversized requests get 513
 * (§21.5.11) the same way. The salvage scans only the header block, as latin1, with a hard cap.
 */

/** The parts of a broken request needed to answer it. */
export interface SalvagedRequest {
  readonly method: string;
  readonly vias: readonly string[];
  readonly from: string | null;
  readonly to: string | null;
  readonly callId: string | null;
  readonly cseq: string | null;
}

const REQUEST_LINE = /^([A-Za-z!%*_+`'~.-]+) (\S+) SIP\/2\.0$/;
const SALVAGE_SCAN_BYTES = 8192;

const NAMES: ReadonlyMap<string, 'via' | 'from' | 'to' | 'callId' | 'cseq'> = new Map([
  ['via', 'via'],
  ['v', 'via'],
  ['from', 'from'],
  ['f', 'from'],
  ['to', 'to'],
  ['t', 'to'],
  ['call-id', 'callId'],
  ['i', 'callId'],
  ['cseq', 'cseq'],
] as const);

/** Read the request line and the headers a response copies; null when no Via or no request line. */
export function salvageRequest(bytes: Buffer): SalvagedRequest | null {
  const text = bytes.toString('latin1', 0, Math.min(bytes.length, SALVAGE_SCAN_BYTES));
  const end = text.indexOf('\r\n\r\n');
  const lines = (end === -1 ? text : text.slice(0, end)).split(/\r?\n/);
  const first = REQUEST_LINE.exec(lines[0] ?? '');
  if (first === null || first[1] === 'ACK') return null; // "ACK ... MUST NOT" get a response
  const vias: string[] = [];
  const found: { from: string | null; to: string | null; callId: string | null; cseq: string | null } = { from: null, to: null, callId: null, cseq: null };
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const kind = NAMES.get(line.slice(0, colon).trim().toLowerCase());
    const value = line.slice(colon + 1).trim();
    if (kind === undefined || value === '') continue;
    if (kind === 'via') vias.push(value);
    else if (found[kind] === null) found[kind] = value;
  }
  if (vias.length === 0) return null;
  return { method: first[1]!, vias, ...found };
}

/** Reason phrase safe to put on a status line: printable, no CR/LF, bounded. */
export function safeReasonPhrase(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 120).trim() || 'Bad Request';
}

/** Serialize a stateless response to a salvaged request. */
export function statelessResponse(req: SalvagedRequest, status: number, reason: string, toTag: string): Buffer {
  const lines = [`SIP/2.0 ${status} ${safeReasonPhrase(reason)}`];
  for (const via of req.vias) lines.push(`Via: ${via}`);
  if (req.from !== null) lines.push(`From: ${req.from}`);
  if (req.to !== null) lines.push(`To: ${/;\s*tag=/i.test(req.to) ? req.to : `${req.to};tag=${toTag}`}`);
  if (req.callId !== null) lines.push(`Call-ID: ${req.callId}`);
  // A broken CSeq is not echoed (the response would be unparseable too): a well-formed placeholder
  // keeps the 400 readable, and the Via branch still lets the client match it.
  lines.push(`CSeq: ${req.cseq !== null && /^\d{1,10}\s+[A-Za-z]+$/.test(req.cseq) ? req.cseq : `0 ${req.method}`}`);
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}
