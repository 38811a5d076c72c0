/**
 * Per-request fields the transaction layer needs, and the top-Via stamping of responses.
 *
 * @remarks
 * RFC 3261 §17.2.3 (matching), §18.2.1 and RFC 3581 §4 (received / rport).
 */
import { getHeader, getHeaderValues, parseNameAddr, parseVia, splitHeaderList } from '../message/index.js';
import type { SipPeer, SipRequest, SipVia } from '../message/index.js';
import type { TransactionKeyFields } from './transaction-layer.js';

/** The §17.2.3 key fields (and the parsed top Via), or the reason the request cannot start a transaction. */
export function requestTransactionFields(req: SipRequest): { key: TransactionKeyFields; via: SipVia } | string {
  const topVia = getHeaderValues(req, 'Via')[0];
  if (topVia === undefined) return 'missing Via';
  const via = parseVia(topVia);
  if (!via.ok) return `bad Via: ${via.reason}`;
  const callId = getHeader(req, 'Call-ID');
  if (callId === undefined || callId === '') return 'missing Call-ID';
  const cseq = /^\s*(\d{1,10})\s+(\S+)\s*$/.exec(getHeader(req, 'CSeq') ?? '');
  if (cseq === null) return 'missing or bad CSeq';
  if (cseq[2] !== req.method) return 'CSeq method does not match the request method';
  const from = parseNameAddr(getHeader(req, 'From') ?? '');
  if (!from.ok) return 'missing or bad From';
  if (getHeader(req, 'To') === undefined) return 'missing To';
  const v = via.value;
  return {
    via: v,
    key: {
      method: req.method,
      branch: v.branch,
      sentBy: v.port === null ? v.host : `${v.host}:${v.port}`,
      requestUri: req.requestUri,
      callId,
      cseqNumber: Number(cseq[1]),
      fromTag: from.value.params.get('tag') ?? null,
      topVia,
    },
  };
}

/**
 * Add `received` / fill `rport` in the top Via of the request the response is built from.
 *
 * @remarks
 * RFC 3261 §18.2.1: "If the host portion of the "sent-by" parameter contains a domain name, or if it
 * contains an IP address that differs from the packet source address, the server MUST add a
 * "received" parameter to that Via header field value." RFC 3581 §4: "If this Via header field
 * value contains an "rport" parameter with no value, it MUST set the value of the parameter to the
 * source port of the request." Phones behind NAT learn their public address from this.
 */
export function stampTopVia(req: SipRequest, via: SipVia, peer: SipPeer): SipRequest {
  const needsReceived = via.host.toLowerCase() !== peer.address.toLowerCase();
  const needsRport = via.params.has('rport') && (via.params.get('rport') ?? '') === '';
  if (!needsReceived && !needsRport && !via.params.has('received')) return req;
  const index = req.headers.findIndex((h) => h.name === 'Via');
  if (index < 0) return req;
  const elements = splitHeaderList(req.headers[index]!.value);
  let top = elements[0] ?? '';
  if (needsRport) top = top.replace(/;\s*rport\s*(=\s*)?(?=;|$|\s)/i, `;rport=${peer.port}`);
  // A received= the client wrote itself is replaced: only the server records where a packet came from.
  if (via.params.has('received')) top = top.replace(/;\s*received\s*=\s*[^;,\s]*/i, '');
  if (needsReceived) top += `;received=${peer.address}`;
  elements[0] = top;
  const headers = [...req.headers];
  headers[index] = { name: 'Via', value: elements.join(', ') };
  return { ...req, headers };
}
