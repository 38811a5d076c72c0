/**
 * The engine's line states, each seeded from the store the first time the engine sees its line:
 * current bindings and the last good registration. Bounded by `maxTracked` (the oldest-touched
 * lines are forgotten first, and seeded again when they come back).
 */
import { ACCEPTED_REGISTER_TYPES, type BindingLease, type BindingRepo, type Clock, type EventRepo, type StoredRegistrationEvent } from '../domain/index.js';
import { RecentMap } from '../collections/index.js';
import { addContact, goodFrom, newLineState, type LineState } from './line-state.js';

/** Event types whose handling reads the line's state (and seeds it on first sight). */
const LINE_EVENT_TYPES: ReadonlySet<StoredRegistrationEvent['type']> = new Set(['registered', 'refreshed', 'unregistered', 'expired', 'auth_failed', 'interval_too_brief']);

/** An `auth_failed` about the password (other reasons, e.g. a stale nonce, say nothing about the line). */
export function isWrongPassword(e: StoredRegistrationEvent): boolean {
  return e.detail.reason === undefined || e.detail.reason === 'wrong_password';
}

/** What seeding reads about a line, fetched for all new lines of a page at once. */
interface SeedData {
  readonly bindings: readonly BindingLease[];
  readonly last: StoredRegistrationEvent | undefined;
}

export interface LineStatesOptions {
  readonly events: Pick<EventRepo, 'latestForUniques'>;
  readonly bindings?: Pick<BindingRepo, 'leasesForUniques'> | undefined;
  readonly clock: Clock;
  readonly maxTracked: number;
  /** The engine's cursor: events at or below it are handled, newer ones are still to come. */
  readonly handledUpTo: () => number;
}

export class LineStates {
  private readonly lines: RecentMap<string, LineState>;
  /** Seed data of the current page's new lines. */
  private readonly seeds = new Map<string, SeedData>();

  constructor(private readonly o: LineStatesOptions) {
    this.lines = new RecentMap(o.maxTracked);
  }

  /** The line's state, seeded on first sight (a read unless `prefetch` brought it). */
  async get(unique: string): Promise<LineState> {
    let line = this.lines.get(unique);
    if (!line) {
      line = newLineState(unique);
      this.lines.set(unique, line);
    }
    if (!line.seeded) {
      line.seeded = true;
      await this.seed(line);
    }
    return line;
  }

  /** The state if tracked, without touching its recency or seeding it. */
  peek(unique: string): LineState | undefined {
    return this.lines.peek(unique);
  }

  /** One query per kind for all lines of the page seen for the first time (instead of two per line). */
  async prefetch(events: readonly StoredRegistrationEvent[]): Promise<void> {
    const fresh = new Set<string>();
    for (const e of events) {
      if (!LINE_EVENT_TYPES.has(e.type) || fresh.has(e.unique)) continue;
      if (e.type === 'auth_failed' && !isWrongPassword(e)) continue;
      if (this.lines.peek(e.unique)?.seeded) continue;
      fresh.add(e.unique);
    }
    if (fresh.size === 0) return;
    for (const [unique, data] of await this.readSeeds([...fresh])) this.seeds.set(unique, data);
  }

  /** Forgets what `prefetch` brought for the page and was not used. */
  endPage(): void {
    this.seeds.clear();
  }

  /**
   * First sight of a line: current bindings and last good registration from the store.
   *
   * @remarks The last good registration is the newest accepted REGISTER already handled (an id at
   * or below the cursor); newer ones are still to come as events. Asking for the newest of all
   * returned, for a line first seen in a page of its own registrations (every line after a restart
   * or in a registration storm), the very REGISTER about to be handled: it was set aside, and the
   * line's real previous registration, which the "source IP changed" tip needs, was lost.
   */
  private async seed(line: LineState): Promise<void> {
    const now = this.o.clock.now().getTime();
    let data = this.seeds.get(line.unique);
    if (data) this.seeds.delete(line.unique);
    else data = (await this.readSeeds([line.unique])).get(line.unique)!;
    for (const b of data.bindings) if (b.expiresAt.getTime() > now) addContact(line, b.contact);
    if (data.last) line.lastGood = goodFrom(data.last);
  }

  /** What {@link seed} needs of each line, for all of them in two reads. */
  private async readSeeds(list: readonly string[]): Promise<Map<string, SeedData>> {
    const [bindings, latest] = await Promise.all([
      this.o.bindings ? this.o.bindings.leasesForUniques(list) : Promise.resolve(new Map<string, BindingLease[]>()),
      this.o.events.latestForUniques(list, ACCEPTED_REGISTER_TYPES, this.o.handledUpTo()),
    ]);
    return new Map(list.map((unique) => [unique, { bindings: bindings.get(unique) ?? [], last: latest.get(unique) }]));
  }
}
