/**
 * In-memory bindings of every AOR: the registrar's hot-path state.
 *
 * @remarks
 * bench-facts.md: a single Node loop with bindings in a Map reaches 15–22k registrations/s, while a
 * write-through database caps at ~2,700/s. The table is the source of truth while running; the
 * delegate persists it behind (see registrar.ts).
 */
import type { BindingRecord } from './delegates.js';

/** A binding as the store gives it back: the record's fields with times as Dates. */
export type StoredBinding = Omit<BindingRecord, 'registeredAt' | 'refreshedAt' | 'expiresAt'> & {
  readonly registeredAt: Date;
  readonly refreshedAt: Date;
  readonly expiresAt: Date;
};

function toRecord(b: StoredBinding): BindingRecord {
  return { ...b, registeredAt: b.registeredAt.getTime(), refreshedAt: b.refreshedAt.getTime(), expiresAt: b.expiresAt.getTime() };
}

/** Map aor (unique) → its bindings. Arrays are replaced, never mutated in place. */
export class BindingTable {
  private readonly byAor = new Map<string, readonly BindingRecord[]>();
  private total = 0;

  /** Current bindings of a unique (empty when none). */
  get(unique: string): readonly BindingRecord[] {
    return this.byAor.get(unique) ?? [];
  }

  /** Replace the bindings of a unique. */
  set(unique: string, bindings: readonly BindingRecord[]): void {
    this.total -= this.byAor.get(unique)?.length ?? 0;
    if (bindings.length === 0) this.byAor.delete(unique);
    else this.byAor.set(unique, bindings);
    this.total += bindings.length;
  }

  /** Whether this exact record object is still current. */
  has(record: BindingRecord): boolean {
    return this.byAor.get(record.unique)?.includes(record) ?? false;
  }

  /** Remove one record (by identity); true if it was there. */
  remove(record: BindingRecord): boolean {
    const current = this.byAor.get(record.unique);
    if (current === undefined || !current.includes(record)) return false;
    this.set(
      record.unique,
      current.filter((b) => b !== record),
    );
    return true;
  }

  /** Number of bindings over all AORs. */
  get size(): number {
    return this.total;
  }

  /** Every current binding. */
  *records(): IterableIterator<BindingRecord> {
    for (const list of this.byAor.values()) yield* list;
  }

  /** Number of AORs with at least one binding. */
  get aorCount(): number {
    return this.byAor.size;
  }
}

/**
 * Load persisted bindings at startup.
 *
 * @remarks
 * Records still valid are loaded as they are. Records that lapsed while we were down are kept until
 * `now + graceSeconds` and only then expire: after a restart the phones re-register within their
 * retry interval, and expiring everything at once would raise an alert storm for lines that are fine.
 */
export function restoreBindings(
  table: BindingTable,
  schedule: { add(record: BindingRecord): void },
  records: readonly StoredBinding[],
  now: Date,
  graceSeconds: number,
): number {
  const byAor = new Map<string, BindingRecord[]>();
  const graceUntil = now.getTime() + graceSeconds * 1000;
  for (const stored of records) {
    const r = toRecord(stored);
    const record = r.expiresAt > now.getTime() ? r : { ...r, expiresAt: graceUntil };
    const list = byAor.get(record.unique);
    if (list === undefined) byAor.set(record.unique, [record]);
    else list.push(record);
  }
  let loaded = 0;
  for (const [unique, list] of byAor) {
    const current = table.get(unique);
    const merged = [...current, ...list.filter((r) => !current.some((c) => c.contact === r.contact))];
    table.set(unique, merged);
    for (const r of list) schedule.add(r);
    loaded += list.length;
  }
  return loaded;
}
