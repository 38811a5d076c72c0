import { describe, expect, it } from 'vitest';
import { decideExpires, parseQ, planContacts, planRemoveAll, remainingSeconds, type ContactRequest, type RegisterFacts } from '../../../../src/sip/registrar/bindings.js';
import { BindingTable, restoreBindings, type StoredBinding } from '../../../../src/sip/registrar/binding-table.js';
import { ExpirySchedule } from '../../../../src/sip/registrar/expiry-schedule.js';
import type { BindingRecord } from '../../../../src/sip/registrar/delegates.js';

const policy = { minExpires: 60, maxExpires: 3600, defaultExpires: 600 };

describe('decideExpires (RFC 3261 §10.3 step 6)', () => {
  it('the contact expires parameter MUST be taken over the Expires header', () => {
    expect(decideExpires('120', '900', policy)).toEqual({ kind: 'ok', requested: 120, granted: 120 });
  });
  it('without a parameter the Expires header is taken, else the default', () => {
    expect(decideExpires(undefined, '900', policy)).toEqual({ kind: 'ok', requested: 900, granted: 900 });
    expect(decideExpires(undefined, undefined, policy)).toEqual({ kind: 'ok', requested: null, granted: 600 });
  });
  it('below the minimum (and not zero) is 423 Interval Too Brief; zero is a removal', () => {
    expect(decideExpires('59', undefined, policy)).toEqual({ kind: 'too_brief', requested: 59 });
    expect(decideExpires('0', '900', policy)).toEqual({ kind: 'ok', requested: 0, granted: 0 });
  });
  it('above the maximum is clamped', () => {
    expect(decideExpires(undefined, '86400', policy)).toEqual({ kind: 'ok', requested: 86400, granted: 3600 });
  });
  it('a value that is not delta-seconds is invalid', () => {
    expect(decideExpires('soon', undefined, policy).kind).toBe('invalid');
    expect(decideExpires(undefined, '-5', policy).kind).toBe('invalid');
  });
});

describe('parseQ', () => {
  it('accepts 0..1 with up to three decimals', () => {
    expect(parseQ('0.5')).toBe(0.5);
    expect(parseQ('1')).toBe(1);
    expect(parseQ('1.5')).toBeNull();
    expect(parseQ(undefined)).toBeNull();
  });
});

const facts = (o: Partial<RegisterFacts> = {}): RegisterFacts => ({
  unique: '0000000773', callId: 'c1', cseq: 10, source: '192.0.2.1:5060', transport: 'udp', userAgent: 'ua', path: [], now: 1_000_000, ...o,
});
const contact = (uri: string, granted = 600, o: Partial<ContactRequest> = {}): ContactRequest => ({
  contact: uri, expires: { requested: granted, granted }, q: null, instanceId: null, regId: null, ...o,
});

describe('planContacts (RFC 3261 §10.3 step 7)', () => {
  it('adds a new binding, refreshes an existing one, removes one with expires 0', () => {
    const first = planContacts([], [contact('sip:a@x'), contact('sip:b@x')], facts(), 5);
    if (!first.ok) throw new Error('plan failed');
    expect(first.created).toHaveLength(2);
    const second = planContacts(first.next, [contact('sip:a@x', 300), contact('sip:b@x', 0)], facts({ cseq: 11, now: 2_000_000 }), 5);
    if (!second.ok) throw new Error('plan failed');
    expect(second.refreshed.map((b) => b.contact)).toEqual(['sip:a@x']);
    expect(second.refreshed[0]!.registeredAt).toBe(1_000_000);
    expect(second.refreshed[0]!.expiresAt).toBe(2_300_000);
    expect(second.removed.map((r) => r.record.contact)).toEqual(['sip:b@x']);
    expect(second.next.map((b) => b.contact)).toEqual(['sip:a@x']);
  });
  it('same Call-ID with a CSeq not higher than the stored one: "the update MUST be aborted and the request fails"', () => {
    const first = planContacts([], [contact('sip:a@x')], facts(), 5);
    if (!first.ok) throw new Error();
    expect(planContacts(first.next, [contact('sip:a@x')], facts({ cseq: 10 }), 5).ok).toBe(false);
    expect(planContacts(first.next, [contact('sip:a@x')], facts({ cseq: 9 }), 5).ok).toBe(false);
    expect(planContacts(first.next, [contact('sip:a@x')], facts({ callId: 'other', cseq: 1 }), 5).ok).toBe(true);
  });
  it('beyond the maximum per AOR the least recently refreshed binding is replaced', () => {
    let current: readonly BindingRecord[] = [];
    for (let i = 0; i < 3; i++) {
      const p = planContacts(current, [contact(`sip:p${i}@x`)], facts({ cseq: 10 + i, now: 1_000_000 + i * 1000 }), 2);
      if (!p.ok) throw new Error();
      current = p.next;
      if (i === 2) expect(p.removed.map((r) => [r.record.contact, r.reason])).toEqual([['sip:p0@x', 'max_bindings']]);
    }
    expect(current.map((b) => b.contact).sort()).toEqual(['sip:p1@x', 'sip:p2@x']);
  });
  it('stores q, +sip.instance, reg-id and Path; a new contact on the same flow replaces the old (RFC 5626)', () => {
    const flow = { instanceId: '<urn:uuid:1>', regId: 1 };
    const first = planContacts([], [contact('sip:a@192.0.2.1', 600, { ...flow, q: 0.7 })], facts({ path: ['<sip:edge.example>'] }), 5);
    if (!first.ok) throw new Error();
    expect(first.next[0]).toMatchObject({ q: 0.7, instanceId: '<urn:uuid:1>', regId: 1, path: ['<sip:edge.example>'] });
    const moved = planContacts(first.next, [contact('sip:a@198.51.100.1', 600, flow)], facts({ cseq: 11 }), 5);
    if (!moved.ok) throw new Error();
    expect(moved.next.map((b) => b.contact)).toEqual(['sip:a@198.51.100.1']);
    expect(moved.removed[0]!.reason).toBe('replaced_flow');
  });
  it('Contact: * removes every binding unless one has the same Call-ID and a CSeq not lower', () => {
    const first = planContacts([], [contact('sip:a@x'), contact('sip:b@x')], facts(), 5);
    if (!first.ok) throw new Error();
    const all = planRemoveAll(first.next, facts({ callId: 'other', cseq: 1 }));
    expect(all.ok && all.removed.length).toBe(2);
    expect(planRemoveAll(first.next, facts({ cseq: 10 })).ok).toBe(false);
  });
  it('remainingSeconds rounds what the 200 OK reports', () => {
    const p = planContacts([], [contact('sip:a@x', 600)], facts(), 5);
    if (!p.ok) throw new Error();
    expect(remainingSeconds(p.next[0]!, 1_000_000 + 100_400)).toBe(500);
  });
});

const record = (unique: string, contactUri: string, expiresAt: number): BindingRecord => ({
  unique, contact: contactUri, source: 's', transport: 'udp', userAgent: null, callId: 'c', cseq: 1, path: [], instanceId: null, regId: null, q: null,
  requestedExpires: 600, grantedExpires: 600, registeredAt: 0, refreshedAt: 0, expiresAt,
});
/** The same binding as the store gives it back (times as Dates). */
const stored = (unique: string, contactUri: string, expiresAt: number): StoredBinding => ({
  ...record(unique, contactUri, expiresAt), registeredAt: new Date(0), refreshedAt: new Date(0), expiresAt: new Date(expiresAt),
});

describe('ExpirySchedule', () => {
  it('pops due records earliest first and keeps the rest', () => {
    const s = new ExpirySchedule();
    const times = [5000, 1000, 3000, 2000, 4000];
    for (const t of times) s.add(record('u', `sip:${t}@x`, t));
    expect(s.popDue(3000).map((r) => r.expiresAt)).toEqual([1000, 2000, 3000]);
    expect(s.size).toBe(2);
    expect(s.popDue(10_000).map((r) => r.expiresAt)).toEqual([4000, 5000]);
  });
  it('handles many random entries in order', () => {
    const s = new ExpirySchedule();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const t of times) s.add(record('u', 'c', t));
    const out = s.popDue(1000).map((r) => r.expiresAt);
    expect(out).toEqual([...times].sort((a, b) => a - b));
  });
  it('stays bounded however often a binding is refreshed: compaction keeps one entry per current record', () => {
    // The registrar's refresh path: a new record replaces the old one, the schedule gets a new entry.
    const table = new BindingTable();
    const s = new ExpirySchedule();
    const others = Array.from({ length: 50 }, (_, i) => record(`u${i}`, 'sip:o', 900_000 + i));
    for (const r of others) {
      table.set(r.unique, [r]);
      s.add(r);
    }
    let current = record('refreshing', 'sip:r', 1_000);
    table.set(current.unique, [current]);
    s.add(current);
    for (let i = 1; i <= 5_000; i++) {
      current = record('refreshing', 'sip:r', 1_000 + i * 60_000);
      table.set(current.unique, [current]);
      s.add(current);
      if (s.needsCompaction(table.size)) s.compact(table.records());
      expect(s.size).toBeLessThanOrEqual(2 * table.size + 1024 + 1);
    }
    expect(s.size).toBeLessThan(5_000);
    // Every current record still expires, once, in order; superseded ones (if any left) are not current.
    const due = s.popDue(Number.MAX_SAFE_INTEGER).filter((r) => table.has(r));
    expect(due.map((r) => r.unique)).toEqual([...others.map((r) => r.unique), 'refreshing']);
    expect(due.at(-1)).toBe(current);
  });
  it('compacts to the given records, earliest first', () => {
    const s = new ExpirySchedule();
    const keep = [record('a', 'c', 30), record('b', 'c', 10), record('c', 'c', 20)];
    for (const r of [...keep, record('gone', 'c', 5), record('gone', 'c', 15)]) s.add(r);
    s.compact(keep);
    expect(s.size).toBe(3);
    expect(s.popDue(25).map((r) => r.unique)).toEqual(['b', 'c']);
    expect(s.popDue(100).map((r) => r.unique)).toEqual(['a']);
  });
});

describe('restoreBindings', () => {
  it('loads valid records as they are and gives lapsed ones a grace period', () => {
    const table = new BindingTable();
    const schedule = new ExpirySchedule();
    const now = new Date(1_000_000);
    const n = restoreBindings(table, schedule, [stored('a', 'sip:1', 2_000_000), stored('b', 'sip:2', 500_000)], now, 120);
    expect(n).toBe(2);
    expect(table.get('a')[0]!.expiresAt).toBe(2_000_000);
    expect(table.get('b')[0]!.expiresAt).toBe(1_120_000);
    expect(schedule.popDue(1_119_999)).toHaveLength(0);
    expect(schedule.popDue(1_120_000)).toHaveLength(1);
    expect(table.size).toBe(2);
  });
});
