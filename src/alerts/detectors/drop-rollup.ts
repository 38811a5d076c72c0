/**
 * Deregistration timing and site rollup (pure state, no I/O).
 *
 * A line whose last binding expired is *down*. Its `deregistered` alert waits the grace period
 * (DEREGISTER_GRACE_S) for a re-registration. When other lines of the same circle, or behind the
 * same public IP, went down within `siteWindowSeconds` of it, the decision waits until that window
 * has passed, so a site outage is seen whole: if at least `siteMinLines` lines and
 * `siteMinFraction` of the circle (or every known line behind one IP, at least `siteMinLinesPerIp`)
 * went down within the window, one `site_down` incident opens and the per-line ones fold into it.
 */
import type { StoredRegistrationEvent } from '../../domain/index.js';
import type { EngineThresholds } from '../engine-options.js';

export interface DownLine {
  readonly unique: string;
  readonly circle: string | null;
  /** Public IP of its last good registration. */
  readonly ip: string | null;
  readonly at: Date;
  readonly event: StoredRegistrationEvent;
  /** The per-line decision is due at this time. */
  dueAt: number;
  decided: boolean;
}

export type SiteScope = { readonly kind: 'circle'; readonly circle: string; readonly down: number; readonly total: number } | { readonly kind: 'ip'; readonly ip: string; readonly down: number; readonly total: number };

export class DropRollup {
  private readonly down = new Map<string, DownLine>();
  /** Down lines not decided yet: what `due` looks at, five times a second. */
  private readonly pending = new Set<DownLine>();
  /**
   * Down lines by circle and by IP. A mass outage puts thousands of lines here at once: looking
   * for a line's neighbours among all of them, for every due line on every decision pass, was
   * quadratic (10,000 lines down: 10^8 comparisons per pass).
   */
  private readonly byCircle = new Map<string, Set<DownLine>>();
  private readonly byIp = new Map<string, Set<DownLine>>();

  constructor(
    private readonly th: EngineThresholds,
    private readonly notBeforeMs: number,
  ) {}

  /** A line lost its last binding. */
  dropped(line: Omit<DownLine, 'dueAt' | 'decided'>): void {
    this.forget(line.unique);
    if (this.down.size >= this.th.maxTrackedKeys) this.forgetOldest();
    const dueAt = Math.max(line.at.getTime() + this.th.deregisterGraceSeconds * 1000, this.notBeforeMs);
    const entry: DownLine = { ...line, dueAt, decided: false };
    this.down.set(line.unique, entry);
    this.pending.add(entry);
    if (entry.circle !== null) groupOf(this.byCircle, entry.circle).add(entry);
    if (entry.ip !== null) groupOf(this.byIp, entry.ip).add(entry);
  }

  /** The line registered again; returns whether it was down. */
  recovered(unique: string): DownLine | undefined {
    return this.forget(unique);
  }

  isDown(unique: string): boolean {
    return this.down.has(unique);
  }

  /** Lines whose decision is due now (correlated drops wait for the end of their window). */
  due(nowMs: number): DownLine[] {
    const windowMs = this.th.siteWindowSeconds * 1000;
    const out: DownLine[] = [];
    for (const line of this.pending) {
      if (line.dueAt > nowMs) continue;
      if (nowMs < line.at.getTime() + windowMs && this.hasNeighbour(line)) continue;
      out.push(line);
    }
    return out.sort((a, b) => a.event.id - b.event.id);
  }

  markDecided(line: DownLine): void {
    line.decided = true;
    this.pending.delete(line);
  }

  /** Down lines of the same circle or IP that dropped within the window of this one (itself included). */
  neighbours(line: DownLine): DownLine[] {
    const out = new Set<DownLine>();
    for (const group of this.groupsOf(line)) for (const other of group) if (this.near(line, other)) out.add(other);
    return [...out];
  }

  /**
   * Whether this line's drop is part of a site outage. `circleSize` is the number of
   * registration-capable lines of the circle; `linesBehindIp` the lines known to register from the IP.
   */
  site(line: DownLine, circleSize: number, linesBehindIp: number): SiteScope | null {
    if (line.circle !== null && circleSize > 0) {
      const down = this.countNear(this.byCircle.get(line.circle), line);
      if (down >= this.th.siteMinLines && down / circleSize >= this.th.siteMinFraction) return { kind: 'circle', circle: line.circle, down, total: circleSize };
    }
    if (line.ip !== null && linesBehindIp >= this.th.siteMinLinesPerIp) {
      const down = this.countNear(this.byIp.get(line.ip), line);
      if (down >= linesBehindIp) return { kind: 'ip', ip: line.ip, down, total: linesBehindIp };
    }
    return null;
  }

  /** Down lines in a site scope (for folding already-open per-line incidents). */
  inScope(scope: SiteScope): DownLine[] {
    return [...((scope.kind === 'circle' ? this.byCircle.get(scope.circle) : this.byIp.get(scope.ip)) ?? [])];
  }

  private near(a: DownLine, b: DownLine): boolean {
    return Math.abs(a.at.getTime() - b.at.getTime()) <= this.th.siteWindowSeconds * 1000;
  }

  private countNear(group: Set<DownLine> | undefined, line: DownLine): number {
    let n = 0;
    for (const other of group ?? []) if (this.near(line, other)) n++;
    return n;
  }

  /** Another down line of its circle or IP within the window (stops at the first). */
  private hasNeighbour(line: DownLine): boolean {
    for (const group of this.groupsOf(line)) for (const other of group) if (other !== line && this.near(line, other)) return true;
    return false;
  }

  private groupsOf(line: DownLine): Set<DownLine>[] {
    const groups: Set<DownLine>[] = [];
    const byCircle = line.circle !== null ? this.byCircle.get(line.circle) : undefined;
    const byIp = line.ip !== null ? this.byIp.get(line.ip) : undefined;
    if (byCircle) groups.push(byCircle);
    if (byIp) groups.push(byIp);
    return groups;
  }

  private forget(unique: string): DownLine | undefined {
    const line = this.down.get(unique);
    if (line === undefined) return undefined;
    this.down.delete(unique);
    this.pending.delete(line);
    if (line.circle !== null) ungroup(this.byCircle, line.circle, line);
    if (line.ip !== null) ungroup(this.byIp, line.ip, line);
    return line;
  }

  /** Decided lines that stay down are kept until they recover, bounded by maxTrackedKeys. */
  private forgetOldest(): void {
    const first = this.down.keys().next().value;
    if (first !== undefined) this.forget(first);
  }
}

function groupOf(groups: Map<string, Set<DownLine>>, key: string): Set<DownLine> {
  let group = groups.get(key);
  if (group === undefined) groups.set(key, (group = new Set()));
  return group;
}

function ungroup(groups: Map<string, Set<DownLine>>, key: string, line: DownLine): void {
  const group = groups.get(key);
  if (group === undefined) return;
  group.delete(line);
  if (group.size === 0) groups.delete(key);
}
