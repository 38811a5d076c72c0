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

  constructor(
    private readonly th: EngineThresholds,
    private readonly notBeforeMs: number,
  ) {}

  /** A line lost its last binding. */
  dropped(line: Omit<DownLine, 'dueAt' | 'decided'>): void {
    if (this.down.size >= this.th.maxTrackedKeys) this.forgetOldest();
    const dueAt = Math.max(line.at.getTime() + this.th.deregisterGraceSeconds * 1000, this.notBeforeMs);
    this.down.set(line.unique, { ...line, dueAt, decided: false });
  }

  /** The line registered again; returns whether it was down. */
  recovered(unique: string): DownLine | undefined {
    const line = this.down.get(unique);
    this.down.delete(unique);
    return line;
  }

  isDown(unique: string): boolean {
    return this.down.has(unique);
  }

  /** Lines whose decision is due now (correlated drops wait for the end of their window). */
  due(nowMs: number): DownLine[] {
    const windowMs = this.th.siteWindowSeconds * 1000;
    const out: DownLine[] = [];
    for (const line of this.down.values()) {
      if (line.decided || line.dueAt > nowMs) continue;
      const correlated = this.neighbours(line).length > 1;
      if (correlated && nowMs < line.at.getTime() + windowMs) continue;
      out.push(line);
    }
    return out.sort((a, b) => a.event.id - b.event.id);
  }

  markDecided(line: DownLine): void {
    line.decided = true;
  }

  /** Down lines of the same circle or IP that dropped within the window of this one (itself included). */
  neighbours(line: DownLine): DownLine[] {
    const windowMs = this.th.siteWindowSeconds * 1000;
    const out: DownLine[] = [];
    for (const other of this.down.values()) {
      const near = Math.abs(other.at.getTime() - line.at.getTime()) <= windowMs;
      const same = (line.circle !== null && other.circle === line.circle) || (line.ip !== null && other.ip === line.ip);
      if (near && same) out.push(other);
    }
    return out;
  }

  /**
   * Whether this line's drop is part of a site outage. `circleSize` is the number of
   * registration-capable lines of the circle; `linesBehindIp` the lines known to register from the IP.
   */
  site(line: DownLine, circleSize: number, linesBehindIp: number): SiteScope | null {
    const windowMs = this.th.siteWindowSeconds * 1000;
    const near = (o: DownLine) => Math.abs(o.at.getTime() - line.at.getTime()) <= windowMs;
    if (line.circle !== null && circleSize > 0) {
      const down = [...this.down.values()].filter((o) => o.circle === line.circle && near(o)).length;
      if (down >= this.th.siteMinLines && down / circleSize >= this.th.siteMinFraction) return { kind: 'circle', circle: line.circle, down, total: circleSize };
    }
    if (line.ip !== null && linesBehindIp >= this.th.siteMinLinesPerIp) {
      const down = [...this.down.values()].filter((o) => o.ip === line.ip && near(o)).length;
      if (down >= linesBehindIp) return { kind: 'ip', ip: line.ip, down, total: linesBehindIp };
    }
    return null;
  }

  /** Down lines in a site scope (for folding already-open per-line incidents). */
  inScope(scope: SiteScope): DownLine[] {
    return [...this.down.values()].filter((o) => (scope.kind === 'circle' ? o.circle === scope.circle : o.ip === scope.ip));
  }

  /** Decided lines that stay down are kept until they recover, bounded by maxTrackedKeys. */
  private forgetOldest(): void {
    const first = this.down.keys().next().value;
    if (first !== undefined) this.down.delete(first);
  }
}
