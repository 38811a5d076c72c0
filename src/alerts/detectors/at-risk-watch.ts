/**
 * When a line is late: it has refreshed at a steady interval (learned from its last REGISTERs)
 * and its next REGISTER is overdue by more than the allowance, while its binding has not expired
 * yet. The phone may be about to drop off (the `at_risk` incident). Lines are checked only at the
 * moment they would turn late (a `DueSchedule`), not on every tick.
 */
import type { EngineThresholds } from '../engine-options.js';
import { DueSchedule } from '../due-schedule.js';
import type { LineState } from '../line-state.js';

/** A line found late: what the incident says about it. */
export interface LateLine {
  readonly line: LineState;
  readonly learned: { readonly interval: number; readonly jitter: number };
  readonly lateMs: number;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export class AtRiskWatch {
  private readonly due = new DueSchedule<LineState>();

  constructor(private readonly thresholds: EngineThresholds) {}

  /** After an accepted REGISTER: schedules the line's check for the moment it would be late (nothing if not watched). */
  watch(line: LineState): void {
    const lateAfter = this.lateAfterMs(line);
    if (lateAfter === null) this.due.cancel(line);
    else this.due.schedule(line, lateAfter);
  }

  /**
   * The lines late at `now` that still have a binding, each once until it registers again (marked
   * `atRiskRaised`). `tracked` tells whether the engine still maintains a line's state.
   */
  late(now: number, tracked: (line: LineState) => boolean): LateLine[] {
    const found: LateLine[] = [];
    for (const line of this.due.takeDue(now)) {
      // Forgotten by the line map since it was scheduled: its state is no longer maintained.
      if (!tracked(line)) continue;
      const lateAfter = this.lateAfterMs(line);
      const { learned, lastRegisterAt, expiresAt } = line;
      if (lateAfter === null || !learned || lastRegisterAt === null || expiresAt === null || line.atRiskRaised || line.contacts.length === 0) continue;
      if (now <= lateAfter) {
        // Not late yet (its allowance grew since it was scheduled): check again then.
        this.due.schedule(line, lateAfter);
        continue;
      }
      if (now >= expiresAt) continue;
      line.atRiskRaised = true;
      found.push({ line, learned, lateMs: now - lastRegisterAt - learned.interval * 1000, expiresAt });
    }
    return found;
  }

  /**
   * When the line turns late: its last REGISTER + the learned interval + the allowance (the larger
   * of `atRiskMinLatenessSeconds` and 3 × jitter). Null when it is not watched (no learned interval,
   * or one shorter than `atRiskMinIntervalSeconds`).
   */
  private lateAfterMs(line: LineState): number | null {
    const learned = line.learned;
    if (!learned || learned.interval < this.thresholds.atRiskMinIntervalSeconds || line.lastRegisterAt === null) return null;
    return line.lastRegisterAt + learned.interval * 1000 + Math.max(this.thresholds.atRiskMinLatenessSeconds, 3 * learned.jitter) * 1000;
  }
}
