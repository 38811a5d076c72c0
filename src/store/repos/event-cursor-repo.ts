/**
 * Positions of the readers that walk `registration_events` in id order (the alert engine, history
 * retention), one row per reader in `event_cursors`. A position only moves forward (`greatest`), so
 * a late or repeated write never takes a reader back. Both statements are prepared once per
 * connection: the engine saves its position after every page.
 */
import type { SqlQuery } from '../db.js';

export class EventCursorRepo {
  constructor(private readonly query: SqlQuery) {}

  /** The last event id the reader processed; 0 before its first save. */
  async getCursor(name: string): Promise<number> {
    const [row] = await this.query(GET_CURSOR, [name]);
    return row ? Number(row.last_event_id) : 0;
  }

  async setCursor(name: string, lastEventId: number, at: Date): Promise<void> {
    await this.query(SET_CURSOR, [name, String(lastEventId), at.toISOString()]);
  }
}

const GET_CURSOR = 'select last_event_id from event_cursors where name = $1::text';
const SET_CURSOR =
  'insert into event_cursors (name, last_event_id, updated_at) values ($1::text, $2::text::bigint, $3::text::timestamptz) ' +
  'on conflict (name) do update set last_event_id = greatest(event_cursors.last_event_id, excluded.last_event_id), updated_at = excluded.updated_at';
