/**
 * Which lines may have an unresolved incident, so the engine asks the store about a line only when
 * it might: most stored events are refreshes of healthy lines, and `activeForUnique` per event was
 * one database round trip per registration (bench/PERF-NOTES.md, alert engine).
 *
 * The set errs on one side only: it may name a line without active incidents (a manual resolve,
 * a resolve by another instance) — that costs one query, after which the line is dropped — but a
 * line missing from it has none. It is loaded from the store on first use, every line the engine
 * raises an incident for is added before the raise, and it is reloaded every `reloadMs` so that
 * incidents raised by another instance on the same database are seen within that time.
 */
import type { IncidentStore } from './ports.js';

/** The query behind the set; `DrizzleIncidentRepo` implements it. */
export interface ActiveUniqueQuery {
  /** Uniques with at least one not-resolved incident. */
  activeUniques(): Promise<string[]>;
}

export type EngineIncidentStore = IncidentStore & Partial<ActiveUniqueQuery>;

export class ActiveUniques {
  private set: Set<string> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly store: EngineIncidentStore,
    private readonly reloadMs = 10_000,
  ) {}

  /** Loads the set on first use and again after `reloadMs`; without the query the set stays off. */
  async refresh(nowMs: number): Promise<void> {
    if (!this.store.activeUniques) return;
    if (this.set !== null && nowMs - this.loadedAt < this.reloadMs && nowMs >= this.loadedAt) return;
    this.set = new Set(await this.store.activeUniques());
    this.loadedAt = nowMs;
  }

  /** False only when the line certainly has no active incident. */
  mayHave(unique: string): boolean {
    return this.set === null || this.set.has(unique);
  }

  /** Before an incident of this line is raised. */
  add(unique: string | null): void {
    if (unique !== null) this.set?.add(unique);
  }

  /** After the store answered that the line has no active incident left. */
  clear(unique: string): void {
    this.set?.delete(unique);
  }
}
