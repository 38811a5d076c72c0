import { describe, expect, it } from 'vitest';
import { InviteServerTransaction } from '../../../../src/sip/transaction/invite-server-transaction.js';
import { NonInviteServerTransaction } from '../../../../src/sip/transaction/non-invite-server-transaction.js';
import { TimerWheel } from '../../../../src/sip/transaction/timer-wheel.js';
import { transactionKey, TransactionLayer } from '../../../../src/sip/transaction/transaction-layer.js';

/** A manual clock + wheel: time moves only when the test says so. */
function env() {
  const clock = { t: 1_000_000 };
  const wheel = new TimerWheel(50, clock.t);
  const sent: string[] = [];
  const terminated: string[] = [];
  const e = { wheel, now: () => clock.t, onTerminated: (k: string) => terminated.push(k) };
  const advance = (ms: number): void => {
    for (let i = 0; i < ms; i += 50) {
      clock.t += Math.min(50, ms - i);
      wheel.advance(clock.t);
    }
  };
  const send = (b: Buffer): void => {
    sent.push(b.toString());
  };
  return { clock, e, sent, terminated, advance, send };
}

const B = (s: string): Buffer => Buffer.from(s);

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  it('in Trying, request retransmissions MUST be discarded', () => {
    const t = env();
    const tx = new NonInviteServerTransaction('k', 'REGISTER', 'udp', t.send, t.e);
    expect(tx.receiveRequest()).toBe('absorbed');
    expect(t.sent).toHaveLength(0);
    expect(tx.state).toBe('Trying');
  });

  it('in Proceeding, a retransmission MUST get the most recent provisional response', () => {
    const t = env();
    const tx = new NonInviteServerTransaction('k', 'REGISTER', 'udp', t.send, t.e);
    tx.respond(100, B('100'));
    expect(tx.state).toBe('Proceeding');
    tx.receiveRequest();
    expect(t.sent).toEqual(['100', '100']);
  });

  it('in Completed, MUST retransmit the final response whenever a retransmission is received', () => {
    const t = env();
    const tx = new NonInviteServerTransaction('k', 'REGISTER', 'udp', t.send, t.e);
    tx.respond(200, B('200'));
    expect(tx.state).toBe('Completed');
    tx.receiveRequest();
    tx.receiveRequest();
    expect(t.sent).toEqual(['200', '200', '200']);
  });

  it('in Completed, other final responses from the TU MUST be discarded', () => {
    const t = env();
    const tx = new NonInviteServerTransaction('k', 'REGISTER', 'udp', t.send, t.e);
    tx.respond(200, B('200'));
    tx.respond(500, B('500'));
    expect(t.sent).toEqual(['200']);
  });

  it('Timer J fires after 64*T1 on UDP and the transaction MUST transition to Terminated', () => {
    const t = env();
    const tx = new NonInviteServerTransaction('k', 'REGISTER', 'udp', t.send, t.e);
    tx.respond(200, B('200'));
    t.advance(31_900);
    expect(tx.state).toBe('Completed');
    t.advance(200);
    expect(tx.state).toBe('Terminated');
    expect(t.terminated).toEqual(['k']);
  });

  it('Timer J is zero on reliable transports: Terminated at once', () => {
    const t = env();
    const tx = new NonInviteServerTransaction('k', 'REGISTER', 'tcp', t.send, t.e);
    tx.respond(401, B('401'));
    expect(tx.state).toBe('Terminated');
  });
});

describe('INVITE server transaction (RFC 3261 §17.2.1)', () => {
  it('in Completed, Timer G retransmits the final response with doubling intervals up to T2', () => {
    const t = env();
    const tx = new InviteServerTransaction('k', 'udp', t.send, t.e);
    tx.respond(407, B('407'));
    expect(tx.state).toBe('Completed');
    const times: number[] = [];
    const start = t.clock.t;
    for (let i = 0; i < 400; i++) {
      const before = t.sent.length;
      t.advance(50);
      if (t.sent.length > before) times.push(t.clock.t - start);
    }
    expect(times.slice(0, 5)).toEqual([500, 1500, 3500, 7500, 11500]);
  });

  it('in Completed, an ACK MUST move to Confirmed and stop retransmissions; Timer I then terminates', () => {
    const t = env();
    const tx = new InviteServerTransaction('k', 'udp', t.send, t.e);
    tx.respond(403, B('403'));
    tx.receiveAck();
    expect(tx.state).toBe('Confirmed');
    const before = t.sent.length;
    t.advance(4_900);
    expect(t.sent.length).toBe(before);
    expect(tx.state).toBe('Confirmed');
    t.advance(200);
    expect(tx.state).toBe('Terminated');
  });

  it('in Completed, a retransmitted INVITE SHOULD get the final response again', () => {
    const t = env();
    const tx = new InviteServerTransaction('k', 'udp', t.send, t.e);
    tx.respond(501, B('501'));
    tx.receiveRequest();
    expect(t.sent).toEqual(['501', '501']);
  });

  it('if Timer H fires in Completed (no ACK), MUST transition to Terminated', () => {
    const t = env();
    const tx = new InviteServerTransaction('k', 'tcp', t.send, t.e);
    tx.respond(407, B('407'));
    t.advance(32_050);
    expect(tx.state).toBe('Terminated');
    expect(t.sent).toEqual(['407']); // no Timer G on reliable transports
  });

  it('on reliable transports Timer I is zero: ACK terminates at once', () => {
    const t = env();
    const tx = new InviteServerTransaction('k', 'tcp', t.send, t.e);
    tx.respond(407, B('407'));
    tx.receiveAck();
    expect(tx.state).toBe('Terminated');
  });
});

describe('matching (RFC 3261 §17.2.3)', () => {
  const base = { method: 'REGISTER', branch: 'z9hG4bK1', sentBy: '192.0.2.1:5060', requestUri: 'sip:x', callId: 'c', cseqNumber: 1, fromTag: 'f', topVia: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1' };
  it('keys by branch, sent-by and method; ACK matches the INVITE', () => {
    expect(transactionKey(base)).toBe(transactionKey({ ...base, callId: 'other' }));
    expect(transactionKey(base)).not.toBe(transactionKey({ ...base, sentBy: '192.0.2.2:5060' }));
    expect(transactionKey(base)).not.toBe(transactionKey({ ...base, method: 'OPTIONS' }));
    expect(transactionKey({ ...base, method: 'ACK' })).toBe(transactionKey({ ...base, method: 'INVITE' }));
  });
  it('falls back to RFC 2543 matching without the magic cookie', () => {
    const old = { ...base, branch: 'abc' };
    expect(transactionKey(old)).not.toBe(transactionKey({ ...old, callId: 'other' }));
    expect(transactionKey(old)).not.toBe(transactionKey({ ...old, cseqNumber: 2 }));
    expect(transactionKey({ ...base, branch: null })).toMatch(/^2543\|/);
  });
  it('the layer keeps a completed UDP transaction as its response for Timer J, resends it on retransmissions, then forgets it', () => {
    let now = 0;
    const layer = new TransactionLayer({ now: () => now });
    const sent: string[] = [];
    const tx = layer.create('k', 'REGISTER', 'udp', (b) => sent.push(b.toString()));
    expect(layer.find('k')).toBe(tx);
    tx.respond(200, B('200 OK'));
    expect(sent).toEqual(['200 OK']);
    const completed = layer.find('k');
    expect(completed).toMatchObject({ kind: 'non-invite', state: 'Completed' });
    now = 31_000;
    layer.advance(now);
    expect(completed!.receiveRequest()).toBe('resent');
    expect(sent).toEqual(['200 OK', '200 OK']);
    expect(layer.size).toBe(1);
    now = 32_000; // 64*T1
    layer.advance(now);
    expect(layer.find('k')).toBeUndefined();
    expect(layer.size).toBe(0);
  });

  it('expires completed responses in order across many transactions', () => {
    let now = 0;
    const layer = new TransactionLayer({ now: () => now, resend: () => {} });
    for (let i = 0; i < 10_000; i++) {
      now = i; // one per millisecond
      layer.create(`k${i}`, 'REGISTER', 'udp', () => {}, { address: '192.0.2.1', port: 5060 }).respond(200, B('ok'));
    }
    now = 32_000 + 4_999;
    layer.advance(now);
    expect(layer.find('k4999')).toBeUndefined();
    expect(layer.find('k5000')).toBeDefined();
    expect(layer.size).toBe(5_000);
    now = 60_000;
    layer.advance(now);
    expect(layer.size).toBe(0);
  });

  it('a completed UDP transaction created with its destination resends through the layer, not through the request\'s closure', () => {
    let now = 0;
    const resent: string[] = [];
    const layer = new TransactionLayer({ now: () => now, resend: (b, address, port) => resent.push(`${b.toString()}→${address}:${port}`) });
    const direct: string[] = [];
    layer.create('d', 'REGISTER', 'udp', (b) => direct.push(b.toString()), { address: '192.0.2.7', port: 5062 }).respond(200, B('200 OK'));
    expect(direct).toEqual(['200 OK']);
    layer.find('d')!.receiveRequest();
    expect(resent).toEqual(['200 OK→192.0.2.7:5062']);
    expect(direct).toEqual(['200 OK']);
  });

  it('over TCP a completed transaction terminates at once (Timer J is zero on reliable transports)', () => {
    const layer = new TransactionLayer({ now: () => 0 });
    layer.create('t', 'REGISTER', 'tcp', () => {}).respond(200, B('ok'));
    expect(layer.find('t')).toBeUndefined();
  });
});

describe('TimerWheel', () => {
  it('fires each timer once, not before its due time, cancelled ones never; survives clock jumps', () => {
    const w = new TimerWheel(100, 0);
    const fired: number[] = [];
    w.schedule(250, () => fired.push(250));
    const c = w.schedule(300, () => fired.push(300));
    w.schedule(10_000_000, () => fired.push(1e7));
    c.cancel();
    w.advance(200);
    expect(fired).toEqual([]);
    w.advance(300);
    expect(fired).toEqual([250]);
    w.advance(20_000_000);
    expect(fired).toEqual([250, 1e7]);
    expect(w.size).toBe(0);
  });
});
