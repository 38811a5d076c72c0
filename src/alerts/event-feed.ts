/**
 * The alert engine's input: stored registration events in id order, each once, from where the
 * engine stopped.
 *
 * Durability: the position (last processed event id) lives in `event_cursors`, saved after every
 * page, so after a restart the engine catches up where it stopped. `RegistrationWriter.onStored`
 * hands over what it just stored; a hand-over that continues the cursor without a gap in the ids
 * is used as it is (no read), anything else (a gap, events out of order, a wake-up without
 * events from the external ingest) makes the next pass read the store after the cursor.
 */
import type { Clock, EventRepo, StoredRegistrationEvent } from '../domain/index.js';

/** Upper bound of events handed over and kept until a pass takes them. */
const MAX_HANDED = 20_000;

export interface EventFeedOptions {
  readonly events: Pick<EventRepo, 'listAfter'>;
  readonly cursors: {
    getCursor(name: string): Promise<number>;
    setCursor(name: string, lastEventId: number, at: Date): Promise<void>;
  };
  readonly cursorName: string;
  /** Events per page (read or taken from the hand-over). */
  readonly batchSize: number;
  readonly clock: Clock;
}

export class EventFeed {
  private position: number | null = null;
  /** Events handed over, not yet processed (id order). */
  private handed: StoredRegistrationEvent[] = [];
  /** A wake-up without events or a dropped hand-over: the next pass reads from the store. */
  private mustRead = true;

  constructor(private readonly o: EventFeedOptions) {}

  /** The last processed event id; null until the first pass loaded it. */
  get cursor(): number | null {
    return this.position;
  }

  /** Stored events to process (their ids ascending); none: read the store next time. */
  hand(events?: readonly StoredRegistrationEvent[]): void {
    if (!events || events.length === 0) {
      this.mustRead = true;
      return;
    }
    if (this.handed.length + events.length > MAX_HANDED) {
      this.handed = [];
      this.mustRead = true;
      return;
    }
    let last = this.handed[this.handed.length - 1]?.id ?? 0;
    for (const e of events) {
      if (e.id <= last) {
        // Not in id order: forget the hand-over and read from the store.
        this.handed = [];
        this.mustRead = true;
        return;
      }
      this.handed.push(e);
      last = e.id;
    }
  }

  /** The next pass reads the store after the cursor, whatever was handed over. */
  requireRead(): void {
    this.mustRead = true;
  }

  /**
   * Gives `process` every event after the cursor, a page at a time, and saves the cursor after
   * each page. When a page fails, the next pass reads its events from the store again.
   */
  async drain(process: (page: readonly StoredRegistrationEvent[]) => Promise<void>): Promise<void> {
    try {
      this.position ??= await this.o.cursors.getCursor(this.o.cursorName);
      for (let pages = 0; pages < 10_000; pages++) {
        let events = this.takeHanded(this.position, this.o.batchSize);
        if (events === null) {
          // Nothing handed continues the cursor: read, unless every hand-over so far was contiguous.
          if (!this.mustRead) return;
          events = await this.o.events.listAfter(this.position, this.o.batchSize);
          if (events.length === 0) {
            this.mustRead = false;
            return;
          }
        }
        await process(events);
        this.position = events[events.length - 1]!.id;
        await this.o.cursors.setCursor(this.o.cursorName, this.position, this.o.clock.now());
      }
    } catch (err) {
      // The failed page's events were taken from the hand-over: the next pass reads them again.
      this.mustRead = true;
      throw err;
    }
  }

  /**
   * The handed events that continue `cursor` without a gap in their ids (so no event stored by
   * anyone else can hide between them), at most `limit`; null when the next handed event does not
   * continue the cursor (the store is read instead). Events at or below the cursor are dropped.
   */
  private takeHanded(cursor: number, limit: number): StoredRegistrationEvent[] | null {
    let start = 0;
    while (start < this.handed.length && this.handed[start]!.id <= cursor) start++;
    if (start === this.handed.length) {
      this.handed = [];
      return null;
    }
    if (this.handed[start]!.id !== cursor + 1) {
      // A gap: the store has (or will have) events we were not handed.
      this.mustRead = true;
      this.handed = this.handed.slice(start);
      return null;
    }
    let end = start + 1;
    while (end < this.handed.length && end - start < limit && this.handed[end]!.id === this.handed[end - 1]!.id + 1) end++;
    const taken = this.handed.slice(start, end);
    this.handed = this.handed.slice(end);
    return taken;
  }
}
