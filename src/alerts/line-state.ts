/**
 * What the engine remembers about each line between events: current contacts, the last good
 * registration (source IP / User-Agent / transport), the learned refresh interval, recent drops.
 * Bounded by `maxLines` (oldest-touched lines are forgotten first).
 */
import type { StoredRegistrationEvent } from '../domain/index.js';

/**
 * Times in the line state are epoch milliseconds: a Date is a ~90-byte heap object, and with
 * 100,000 lines the engine held ~200,000 of them (bench/PERF-NOTES.md #21).
 */
export interface GoodRegistration {
  /** Epoch ms. */
  readonly at: number;
  readonly ip: string;
  readonly source: string;
  readonly userAgent: string | null;
  readonly transport: 'udp' | 'tcp';
  readonly grantedExpires: number | null;
}

export interface LineState {
  readonly unique: string;
  /** Contacts with a live binding. An array: lines have one or a few, and a Set costs ~5× more per line. */
  readonly contacts: string[];
  /** Latest accepted REGISTER, and the one before it (source change detection). */
  lastGood: GoodRegistration | null;
  previousGood: GoodRegistration | null;
  /** Seconds between consecutive REGISTERs of the line (newest last, at most 8). */
  readonly intervals: number[];
  /**
   * `learnedInterval(intervals)`, recomputed only when a refresh adds an interval (it sorts a copy):
   * every accepted REGISTER and every due at-risk check read it.
   */
  learned: { readonly interval: number; readonly jitter: number } | null;
  /** Epoch ms of the latest accepted REGISTER. */
  lastRegisterAt: number | null;
  /** Epoch ms. */
  expiresAt: number | null;
  atRiskRaised: boolean;
  /** Epoch ms of the times the line lost its last binding (newest last); null until the first. */
  drops: number[] | null;
  lastIntervalTooBrief: { at: number; requested: number | null } | null;
  seeded: boolean;
  /** The second its at-risk check is due (`DueSchedule`); 0 when not watched. */
  dueSecond: number;
}

export function newLineState(unique: string): LineState {
  return {
    unique,
    contacts: [],
    lastGood: null,
    previousGood: null,
    intervals: [],
    learned: null,
    lastRegisterAt: null,
    expiresAt: null,
    atRiskRaised: false,
    drops: null,
    lastIntervalTooBrief: null,
    seeded: false,
    dueSecond: 0,
  };
}

export function addContact(line: LineState, contact: string): void {
  if (!line.contacts.includes(contact)) line.contacts.push(contact);
}

export function removeContact(line: LineState, contact: string): void {
  const i = line.contacts.indexOf(contact);
  if (i >= 0) line.contacts.splice(i, 1);
}

/** `203.0.113.7:5060` → `203.0.113.7`; `[2001:db8::1]:5060` → `2001:db8::1`. */
export function ipOf(source: string): string {
  if (source.startsWith('[')) return source.slice(1, source.indexOf(']'));
  const i = source.lastIndexOf(':');
  return i < 0 ? source : source.slice(0, i);
}

export function goodFrom(e: StoredRegistrationEvent): GoodRegistration {
  return { at: e.at.getTime(), ip: ipOf(e.source), source: e.source, userAgent: e.userAgent, transport: e.transport, grantedExpires: e.grantedExpires };
}

/** The median of the observed refresh intervals (seconds); `intervals` must not be empty. */
export function medianInterval(intervals: readonly number[]): number {
  const sorted = [...intervals].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Learned refresh interval: median of the samples, jitter = largest deviation from it. */
export function learnedInterval(intervals: readonly number[], minSamples: number): { interval: number; jitter: number } | null {
  if (intervals.length < minSamples) return null;
  const interval = medianInterval(intervals);
  const jitter = Math.max(...intervals.map((x) => Math.abs(x - interval)));
  return { interval, jitter };
}
