/**
 * RFC 4475 and RFC 5118 torture messages, asserted as their INDEX.md says a receiver must treat them.
 *
 * Messages that are syntactically parseable but must be refused by the registrar (e.g. a bad
 * Contact) are asserted as `parseMessage` ok plus the failing accessor the registrar calls.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  getHeader, getHeaderValues, parseContactList, parseCSeq, parseDigestCredentials, parseMessage, parseNameAddr,
  parseUri, parseVia, type MessageParseResult, type SipMessage, type SipNameAddr, type SipRequest,
} from '../../../../src/sip/message/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const corpusDir = process.env.LINEWATCH_CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');

function ok(r: MessageParseResult): SipMessage {
  if (!r.ok) throw new Error(`expected parse ok, got ${r.code}: ${r.reason}`);
  return r.value;
}
function req(r: MessageParseResult): SipRequest {
  const m = ok(r);
  if (m.kind !== 'request') throw new Error('expected a request');
  return m;
}
function refused(code: string) {
  return (r: MessageParseResult): void => {
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  };
}
function nameAddr(v: string | undefined): SipNameAddr {
  const r = parseNameAddr(v ?? '');
  if (!r.ok) throw new Error(`parseNameAddr failed: ${r.reason}`);
  return r.value;
}
function contacts(m: SipMessage): SipNameAddr[] {
  const r = parseContactList(getHeaderValues(m, 'Contact').join(', '));
  if (!r.ok || r.value === '*') throw new Error('expected a Contact list');
  return r.value;
}
function viasOk(m: SipMessage): void {
  for (const v of getHeaderValues(m, 'Via')) expect(parseVia(v).ok, v).toBe(true);
}

type Check = (r: MessageParseResult) => void;

const rfc4475: Record<string, Check> = {
  'wsinv.dat': (r) => {
    const m = req(r);
    expect(m.method).toBe('INVITE');
    expect(m.requestUri).toBe('sip:vivekg@chair-dnrc.example.com;unknownparam');
    expect(parseCSeq(getHeader(m, 'CSeq')!)).toEqual({ ok: true, value: { seq: 9, method: 'INVITE' } });
    expect(getHeader(m, 'Max-Forwards')).toBe('0068');
    expect(nameAddr(getHeader(m, 'To')).params.get('tag')).toBe('1918181833n');
    const from = nameAddr(getHeader(m, 'From'));
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(from.params.get('tag')).toBe('98asjd8');
    const vias = getHeaderValues(m, 'Via').map((v) => parseVia(v));
    expect(vias.map((v) => (v.ok ? `${v.value.transport} ${v.value.host} ${v.value.branch}` : 'bad'))).toEqual([
      'UDP 192.0.2.2 390skdjuw', 'TCP spindle.example.com z9hG4bK9ikj8', 'UDP 192.168.255.111 z9hG4bK30239',
    ]);
    const [c] = contacts(m);
    expect(c!.displayName).toBe('Quoted string ""');
    expect(c!.params.get('newparam')).toBe('newvalue');
    expect(c!.params.get('secondparam')).toBeNull();
    expect(c!.params.get('q')).toBe('0.33');
    expect(getHeader(m, 'Subject')).toBe('');
    expect(getHeader(m, 'NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.body.length).toBe(150);
  },
  'intmeth.dat': (r) => {
    const m = req(r);
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    const uri = parseUri(m.requestUri);
    expect(uri.ok && uri.value.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.ok && uri.value.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(nameAddr(getHeader(m, 'To')).displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(nameAddr(getHeader(m, 'From')).displayName).toBe("token1~` token2'+_ token3*%!.-");
    const ext = getHeader(m, "EXTENSIONHEADER-!.%*+_`'~");
    expect(ext).toBe(getHeader(m, "extensionHeader-!.%*+_`'~"));
    expect(ext).toMatch(/^\ufeff/); // raw UTF-8 value decoded, not mangled
    viasOk(m);
  },
  'esc01.dat': (r) => {
    const m = req(r);
    const ruri = parseUri(m.requestUri);
    expect(ruri.ok && ruri.value.user).toBe('sips:user@example.com');
    expect(nameAddr(getHeader(m, 'To')).uri.user).toBe('user');
    const [c] = contacts(m);
    expect(c!.uri.user).toBe('caller');
    expect(c!.uri.params.get('lr')).toBeNull();
    expect(c!.uri.params.get('name')).toBe('value%41');
  },
  'escnull.dat': (r) => {
    const m = req(r);
    expect(m.method).toBe('REGISTER');
    expect(nameAddr(getHeader(m, 'To')).uri.user).toBe('null-\0-null');
    const cs = contacts(m);
    expect(cs.map((c) => c.uri.user)).toEqual(['\0', '\0\0']);
    expect(cs[0]!.rawUri).not.toBe(cs[1]!.rawUri);
  },
  'esc02.dat': (r) => {
    const m = req(r);
    expect(m.method).toBe('RE%47IST%45R');
    expect(m.method).not.toBe('REGISTER');
    expect(nameAddr(getHeader(m, 'To')).displayName).toBe('%Z%45');
    expect(getHeaderValues(m, 'Contact')).toHaveLength(2);
    expect(getHeader(m, 'C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
  },
  'lwsdisp.dat': (r) => {
    const from = nameAddr(getHeader(ok(r), 'From'));
    expect(from.displayName).toBe('caller');
    expect(from.uri.user).toBe('caller');
  },
  'longreq.dat': (r) => {
    const m = req(r);
    expect(getHeaderValues(m, 'Via').length).toBeGreaterThan(10);
    viasOk(m);
    expect(nameAddr(getHeader(m, 'From')).params.get('tag')!.length).toBeGreaterThan(100);
    expect(nameAddr(getHeader(m, 'To')).displayName!.length).toBeGreaterThan(80);
    expect(nameAddr(getHeader(m, 'To')).uri.port).toBe(6000);
  },
  'dblreq.dat': (r) => {
    const m = req(r);
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(getHeader(m, 'Call-ID')).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412');
  },
  'semiuri.dat': (r) => {
    const uri = parseUri(req(r).requestUri);
    expect(uri.ok && uri.value.user).toBe('user;par=u@example.net');
    expect(uri.ok && uri.value.host).toBe('example.com');
    expect(uri.ok && uri.value.params.size).toBe(0);
  },
  'transports.dat': (r) => {
    const vias = getHeaderValues(ok(r), 'Via').map((v) => parseVia(v));
    expect(vias.map((v) => v.ok && v.value.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  },
  'mpart01.dat': (r) => {
    const m = req(r);
    expect(getHeader(m, 'Content-Type')).toMatch(/^multipart\/mixed/);
    expect(m.body.length).toBe(Number(getHeader(m, 'Content-Length')));
    expect(m.body.includes(0)).toBe(true);
  },
  'unreason.dat': (r) => {
    const m = ok(r);
    expect(m.kind === 'response' && m.status).toBe(200);
    expect(m.kind === 'response' && m.reason).toMatch(/^= 2\*\*3 \* 5\*\*2 \u043d\u043e/);
  },
  'noreason.dat': (r) => {
    const m = ok(r);
    expect(m.kind === 'response' && [m.status, m.reason]).toEqual([100, '']);
  },
  // §3.1.2 invalid messages.
  'badinv01.dat': (r) => {
    const m = req(r);
    expect(getHeaderValues(m, 'Via').some((v) => !parseVia(v).ok)).toBe(true);
    expect(parseContactList(getHeader(m, 'Contact')!).ok).toBe(false);
  },
  'clerr.dat': refused('SIP_ERR_CONTENT_LENGTH'),
  'ncl.dat': refused('SIP_ERR_CONTENT_LENGTH'),
  'scalar02.dat': refused('SIP_ERR_CSEQ'),
  'scalarlg.dat': refused('SIP_ERR_CSEQ'),
  'quotbal.dat': (r) => expect(parseNameAddr(getHeader(req(r), 'To')!).ok).toBe(false),
  'ltgtruri.dat': refused('SIP_ERR_REQUEST_URI'),
  'lwsruri.dat': (r) => expect(r.ok).toBe(false),
  'lwsstart.dat': (r) => expect(r.ok).toBe(false),
  'trws.dat': (r) => expect(r.ok).toBe(false),
  'escruri.dat': (r) => {
    // "400 Bad Request, or ignore the ?Route=... part. It must never become a real Route header."
    const m = req(r);
    const uri = parseUri(m.requestUri);
    expect(uri.ok && uri.value.headers.get('Route')).toBe('%3Csip:example.com%3E');
    expect(getHeader(m, 'Route')).toBeUndefined();
  },
  'baddate.dat': (r) => expect(getHeader(req(r), 'Date')).toMatch(/EST$/),
  'regbadct.dat': (r) => expect(parseContactList(getHeader(req(r), 'Contact')!).ok).toBe(false),
  'badaspec.dat': (r) => expect(parseNameAddr(getHeader(req(r), 'To')!).ok).toBe(false),
  'baddn.dat': refused('SIP_ERR_INCOMPLETE_HEADERS'),
  'badvers.dat': refused('SIP_ERR_VERSION'),
  'mismatch01.dat': refused('SIP_ERR_CSEQ_METHOD'),
  'mismatch02.dat': refused('SIP_ERR_CSEQ_METHOD'),
  'bigcode.dat': refused('SIP_ERR_STATUS_CODE'),
  // §3.2, §3.3 transaction and application layer.
  'badbranch.dat': (r) => {
    const via = parseVia(getHeader(req(r), 'Via')!);
    expect(via.ok && via.value.branch).toBe('z9hG4bK');
  },
  'insuf.dat': refused('SIP_ERR_MISSING_HEADER'),
  'unkscm.dat': (r) => {
    const u = parseUri(req(r).requestUri);
    expect(u.ok).toBe(false);
    expect(!u.ok && u.reason).toMatch(/scheme/);
  },
  'novelsc.dat': (r) => {
    const m = req(r);
    expect(m.requestUri.startsWith('soap.beep:')).toBe(true);
    expect(parseUri(m.requestUri).ok).toBe(false);
  },
  'unksm2.dat': (r) => {
    const m = req(r);
    expect(m.method).toBe('REGISTER');
    expect(parseNameAddr(getHeader(m, 'To')!).ok).toBe(false); // registrar: AOR must be sip/sips → 400
    expect(parseContactList(getHeader(m, 'Contact')!).ok).toBe(false);
  },
  'bext01.dat': (r) => {
    const m = req(r);
    expect(getHeaderValues(m, 'Require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(getHeaderValues(m, 'Proxy-Require')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  },
  'invut.dat': (r) => expect(getHeader(req(r), 'Content-Type')).toBe('application/unknownformat'),
  'regaut01.dat': (r) => {
    const m = req(r);
    expect(m.method).toBe('REGISTER');
    expect(getHeader(m, 'Authorization')).toBe('NoOneKnowsThisScheme opaque-data=here');
    expect(parseDigestCredentials(getHeader(m, 'Authorization')!).ok).toBe(false);
  },
  'multi01.dat': refused('SIP_ERR_DUPLICATE_HEADER'),
  'mcl01.dat': refused('SIP_ERR_DUPLICATE_HEADER'),
  'bcast.dat': (r) => {
    const m = ok(r);
    const second = parseVia(getHeaderValues(m, 'Via')[1]!);
    expect(second.ok && second.value.host).toBe('255.255.255.255');
  },
  'zeromf.dat': (r) => expect(getHeader(req(r), 'Max-Forwards')).toBe('0'),
  'cparam01.dat': (r) => {
    const [c] = contacts(req(r));
    expect(c!.rawUri).toBe('sip:+19725552222@gw1.example.net');
    expect(c!.uri.params.size).toBe(0);
    expect(c!.params.has('unknownparam')).toBe(true);
  },
  'cparam02.dat': (r) => {
    const [c] = contacts(req(r));
    expect(c!.rawUri).toBe('sip:+19725552222@gw1.example.net;unknownparam');
    expect(c!.uri.params.has('unknownparam')).toBe(true);
    expect(c!.params.size).toBe(0);
  },
  'regescrt.dat': (r) => {
    const m = req(r);
    const [c] = contacts(m);
    expect(c!.rawUri).toBe('sip:user@example.com?Route=%3Csip:sip.example.com%3E');
    expect(c!.uri.headers.get('Route')).toBe('%3Csip:sip.example.com%3E');
    expect(getHeader(m, 'Route')).toBeUndefined();
  },
  'sdp01.dat': (r) => expect(getHeader(req(r), 'Accept')).not.toMatch(/application\/sdp/),
  'inv2543.dat': (r) => {
    const m = req(r);
    const via = parseVia(getHeader(m, 'Via')!);
    expect(via.ok && via.value.branch).toBeNull();
    expect(nameAddr(getHeader(m, 'From')).params.has('tag')).toBe(false);
    expect(getHeader(m, 'Max-Forwards')).toBeUndefined();
    expect(getHeader(m, 'Content-Length')).toBeUndefined();
    expect(m.body.toString('latin1')).toMatch(/^v=0\r\n[\s\S]*m=audio 49217 RTP\/AVP 0\r\n$/);
  },
  'test.dat': (r) => expect(r.ok).toBe(false), // not a test; strict parsers refuse it
};

function ipv6Registers(host: string, port: number | null) {
  return (r: MessageParseResult): void => {
    const u = parseUri(req(r).requestUri);
    expect(u.ok && [u.value.host, u.value.port]).toEqual([host, port]);
  };
}

/** RFC 5118 wire form (CRLF, correct Content-Length): nothing valid is refused. */
const rfc5118Wire: Record<string, Check> = {
  'ipv6-good.dat': (r) => {
    ipv6Registers('2001:db8::10', null)(r);
    const m = req(r);
    const via = parseVia(getHeader(m, 'Via')!);
    expect(via.ok && via.value.host).toBe('2001:db8::9:1');
    expect(contacts(m)[0]!.uri.host).toBe('2001:db8::1');
  },
  'ipv6-bad.dat': (r) => expect(parseUri(req(r).requestUri).ok).toBe(false),
  'port-ambiguous.dat': ipv6Registers('2001:db8::10:5070', null),
  'port-unambiguous.dat': ipv6Registers('2001:db8::10', 5070),
  'via-received-param-with-delim.dat': (r) => {
    const via = parseVia(getHeader(req(r), 'Via')!);
    expect(via.ok && via.value.params.get('received')).toBe('[2001:db8::9:255]');
  },
  'via-received-param-no-delim.dat': (r) => {
    const via = parseVia(getHeader(req(r), 'Via')!);
    expect(via.ok && via.value.params.get('received')).toBe('2001:db8::9:255');
  },
  'ipv6-in-sdp.dat': (r) => expect(req(r).body.toString()).toMatch(/c=IN IP6 2001:db8::20/),
  'mult-ip-in-header.dat': (r) => {
    const vias = getHeaderValues(req(r), 'Via').map((v) => parseVia(v));
    expect(vias.map((v) => v.ok && [v.value.host, v.value.port])).toEqual([
      ['2001:db8::9:1', 6050], ['192.0.2.1', null], ['2001:db8::9:255', null],
    ]);
    expect(vias[2]!.ok && vias[2]!.value.params.get('received')).toBe('192.0.2.200');
  },
  'mult-ip-in-sdp.dat': (r) => expect(req(r).body.length).toBe(189),
  'ipv4-mapped-ipv6.dat': (r) => {
    const m = req(r);
    viasOk(m);
    expect(contacts(m)[0]!.uri.host).toBe('::ffff:192.0.2.2');
  },
  'ipv6-bug-abnf-3-colons.dat': (r) => expect(parseUri(req(r).requestUri).ok).toBe(true),
  'ipv6-correct-abnf-2-colons.dat': (r) => {
    const u = parseUri(req(r).requestUri);
    expect(u.ok && u.value.host).toBe('2001:db8::192.0.2.1');
  },
};

/**
 * RFC 5118 archive bytes (bare LF). We accept bare LF, so they measure the archive's framing: the
 * §4.10 pair has no blank line, ipv6-in-sdp and mult-ip-in-sdp declare more body than they carry.
 */
const rfc5118Archive: Record<string, Check> = {
  ...rfc5118Wire,
  'ipv6-bug-abnf-3-colons.dat': refused('SIP_ERR_INCOMPLETE_HEADERS'),
  'ipv6-correct-abnf-2-colons.dat': refused('SIP_ERR_INCOMPLETE_HEADERS'),
  'ipv6-in-sdp.dat': refused('SIP_ERR_CONTENT_LENGTH'),
  'mult-ip-in-sdp.dat': refused('SIP_ERR_CONTENT_LENGTH'),
  'ipv4-mapped-ipv6.dat': (r) => expect(req(r).body.length).toBe(236),
};

function corpus(sub: string, table: Record<string, Check>): void {
  const dir = path.join(corpusDir, sub);
  describe(`corpus ${sub}`, () => {
    it('the corpus directory exists and every file has an expectation', () => {
      expect(existsSync(dir), `corpus missing at ${dir} (set LINEWATCH_CORPUS_DIR)`).toBe(true);
      const files = readdirSync(dir).filter((f) => f.endsWith('.dat')).sort();
      expect(files).toEqual(Object.keys(table).sort());
    });
    for (const [file, check] of Object.entries(table)) {
      it(file, () => check(parseMessage(readFileSync(path.join(dir, file)))));
    }
  });
}

corpus('rfc4475', rfc4475);
corpus('rfc5118/wire', rfc5118Wire);
corpus('rfc5118', rfc5118Archive);

describe('corpus rfc4475/variants', () => {
  it('baddn.crlf-terminated.dat: display names with a comma but no quotes are refused', () => {
    const m = req(parseMessage(readFileSync(path.join(corpusDir, 'rfc4475/variants/baddn.crlf-terminated.dat'))));
    expect(parseNameAddr(getHeader(m, 'From')!).ok).toBe(false);
    expect(parseNameAddr(getHeader(m, 'To')!).ok).toBe(false);
  });
});
