/**
 * Schedule math, pure: who is on call at an instant, per layer and overall, and the next handoff.
 *
 * Shifts are computed in the schedule's timezone on wall-clock time (see `zone.ts`): a daily 09:00
 * handoff stays at 09:00 local across DST, so a Berlin shift spanning the spring change lasts 23 h
 * and the autumn one 25 h. Later layers sit on top of earlier ones wherever they have coverage;
 * overrides sit on top of every layer.
 */
import type { LayerConfig, ScheduleConfig } from './config-schema.js';
import { inWindow, windowBoundariesAfter } from './time-window.js';
import { parseClock, parseLocalDate, Zone } from './zone.js';

const HOUR = 3_600_000;

/** An override of a schedule (null `scheduleId`: every schedule) for a time range. */
export interface ScheduleOverride {
  readonly scheduleId: string | null;
  readonly personId: string;
  readonly start: Date;
  readonly end: Date;
}

export interface LayerOnCall {
  readonly layer: string;
  /** Index in the schedule's `layers`; -1 for an override. */
  readonly layerIndex: number;
  readonly personId: string | null;
  /** When this layer's answer next changes (shift end or restriction edge); null when never. */
  readonly until: Date | null;
  readonly override: boolean;
}

export interface Handoff {
  readonly at: Date;
  readonly from: string | null;
  readonly to: string | null;
}

const shiftLength = (l: LayerConfig): number =>
  l.rotation === 'daily' ? 24 * HOUR : l.rotation === 'weekly' ? 7 * 24 * HOUR : (l.length_hours ?? 24) * HOUR;

/** One rotation layer bound to its timezone. */
class Rotation {
  private readonly anchor: number;
  private readonly length: number;

  constructor(
    readonly config: LayerConfig,
    private readonly zone: Zone,
  ) {
    this.anchor = parseLocalDate(config.start) + parseClock(config.handoff) * 60_000;
    this.length = shiftLength(config);
  }

  /** Start instant of shift k. */
  shiftStart(k: number): number {
    return this.zone.fromWall(this.anchor + k * this.length);
  }

  /** The shift containing `at` (may be negative: before the rotation starts). */
  shiftIndex(at: number): number {
    let k = Math.floor((this.zone.toWall(at) - this.anchor) / this.length);
    for (let i = 0; i < 4 && this.shiftStart(k) > at; i++) k--;
    for (let i = 0; i < 4 && this.shiftStart(k + 1) <= at; i++) k++;
    return k;
  }

  covers(at: number): boolean {
    const r = this.config.restrictions;
    return r === undefined || r.some((w) => inWindow(w, this.zone, at));
  }

  personAt(at: number): string | null {
    const k = this.shiftIndex(at);
    if (k < 0 || !this.covers(at)) return null;
    const n = this.config.participants.length;
    return this.config.participants[((k % n) + n) % n]!;
  }

  /** The next instant after `at` where this layer's answer may change. */
  nextBoundary(at: number): number {
    const k = this.shiftIndex(at);
    let next = this.shiftStart(Math.max(k + 1, 0));
    for (const w of this.config.restrictions ?? []) {
      const b = windowBoundariesAfter(w, this.zone, at)[0];
      if (b !== undefined && b < next) next = b;
    }
    return next;
  }
}

/** A schedule with its overrides, answering "who is on call at T". */
export class ScheduleView {
  private readonly rotations: Rotation[];
  private readonly overrides: ScheduleOverride[];

  constructor(
    readonly config: ScheduleConfig,
    overrides: readonly ScheduleOverride[],
  ) {
    const zone = new Zone(config.timezone);
    this.rotations = config.layers.map((l) => new Rotation(l, zone));
    this.overrides = overrides.filter((o) => o.scheduleId === null || o.scheduleId === config.id);
  }

  private overrideAt(at: number): ScheduleOverride | null {
    let found: ScheduleOverride | null = null;
    // The override listed last (the most recent) wins.
    for (const o of this.overrides) if (o.start.getTime() <= at && at < o.end.getTime()) found = o;
    return found;
  }

  /** Each layer's person at `at` (top layer first), the active override first when there is one. */
  layersAt(at: Date): LayerOnCall[] {
    const t = at.getTime();
    const out: LayerOnCall[] = [];
    const o = this.overrideAt(t);
    if (o) out.push({ layer: 'override', layerIndex: -1, personId: o.personId, until: o.end, override: true });
    for (let i = this.rotations.length - 1; i >= 0; i--) {
      const r = this.rotations[i]!;
      out.push({ layer: r.config.name, layerIndex: i, personId: r.personAt(t), until: new Date(r.nextBoundary(t)), override: false });
    }
    return out;
  }

  /**
   * The people on call at `at`, most responsible first: override, then each layer with coverage from
   * the top down, without repeats. `[0]` is who is on call; `[1]` is the next layer, and so on.
   */
  chainAt(at: Date): string[] {
    const people: string[] = [];
    for (const l of this.layersAt(at)) if (l.personId !== null && !people.includes(l.personId)) people.push(l.personId);
    return people;
  }

  /** Who is on call at `at`, or null when nobody covers it. */
  onCallAt(at: Date): string | null {
    return this.chainAt(at)[0] ?? null;
  }

  /** The next change of the on-call person after `at` (bounded look-ahead), or null. */
  nextHandoff(at: Date, maxSteps = 400): Handoff | null {
    const current = this.onCallAt(at);
    let cursor = at.getTime();
    for (let i = 0; i < maxSteps; i++) {
      const candidates = this.rotations.map((r) => r.nextBoundary(cursor));
      for (const o of this.overrides) {
        if (o.start.getTime() > cursor) candidates.push(o.start.getTime());
        if (o.end.getTime() > cursor) candidates.push(o.end.getTime());
      }
      if (candidates.length === 0) return null;
      cursor = Math.min(...candidates);
      const person = this.onCallAt(new Date(cursor));
      if (person !== current) return { at: new Date(cursor), from: current, to: person };
    }
    return null;
  }
}
