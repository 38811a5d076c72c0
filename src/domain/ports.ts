import type { Account } from './account/account.js';
import type { Circle } from './circle/circle.js';
import type { Unique, UniqueCredentials } from './unique/unique.js';
import type { UniqueType } from './unique/unique-type.js';
import type { Binding, BindingLease, BindingView } from './registration/binding.js';
import type {
  EventMark,
  RegistrationEvent,
  RegistrationEventType,
  StoredRegistrationEvent,
} from './registration/registration-event.js';

/** Time source; tests inject a controllable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AccountRepo {
  create(account: { loginId: string; name: string | null }): Promise<Account>;
  get(loginId: string): Promise<Account | null>;
}

export interface NewCircle {
  readonly number: string;
  readonly accountLoginId: string;
  readonly userInfo: string | null;
  readonly department: string | null;
  readonly contact: string | null;
  readonly appliedOn: string | null;
  readonly state: Circle['state'];
}

export interface CircleRepo {
  create(circle: NewCircle): Promise<Circle>;
  get(number: string): Promise<Circle | null>;
  /** Circle numbers starting with a prefix, for autocomplete. */
  searchNumbers(prefix: string, limit: number): Promise<string[]>;
}

export interface NewUnique {
  readonly number: string;
  readonly circleNumber: string;
  readonly type: UniqueType;
  readonly loginServer: string;
  readonly credentials: UniqueCredentials;
}

export interface UniqueRepo {
  create(unique: NewUnique, at: Date): Promise<Unique>;
  /** All or nothing: one transaction, rows inserted in chunks. */
  importMany(uniques: readonly NewUnique[], at: Date): Promise<number>;
  get(number: string): Promise<Unique | null>;
  listByCircle(circleNumber: string, type?: UniqueType): Promise<Unique[]>;
  /** Existing numbers among the given ones (duplicate detection before an import). */
  existingNumbers(numbers: readonly string[]): Promise<string[]>;
  setCredentials(credentials: UniqueCredentials, at: Date): Promise<boolean>;
  /** Every unique's HA1 values: the registrar's in-memory credential cache is loaded from this. */
  allCredentials(): Promise<UniqueCredentials[]>;
  searchNumbers(prefix: string, limit: number): Promise<string[]>;
  count(): Promise<number>;
}

export interface BindingRepo {
  listForUnique(unique: string): Promise<Binding[]>;
  /** Contacts and expiries of the given uniques' bindings (the alert engine's seed of new lines). */
  leasesForUniques(uniques: readonly string[]): Promise<Map<string, BindingLease[]>>;
  /** The columns a status document shows, for every unique of a circle (of one type, if given). */
  listViewsForCircle(circle: string, type?: UniqueType): Promise<Map<string, BindingView[]>>;
  listAll(): Promise<Binding[]>;
}

export interface EventQuery {
  readonly limit: number;
  /** Only events with an id below this one (paging newest first). */
  readonly beforeId?: number;
  readonly types?: readonly RegistrationEventType[];
}

export interface EventRepo {
  /** Newest first. */
  listForUnique(unique: string, query: EventQuery): Promise<StoredRegistrationEvent[]>;
  /** The newest event of the given types for each unique (absent when none), with an id ≤ `upToId` if given. */
  latestForUniques(
    uniques: readonly string[],
    types: readonly RegistrationEventType[],
    upToId?: number,
  ): Promise<Map<string, StoredRegistrationEvent>>;
  /** `latestForUniques` for every unique of a circle (of one type, if given). */
  latestForCircle(circle: string, types: readonly RegistrationEventType[], type?: UniqueType): Promise<Map<string, StoredRegistrationEvent>>;
  /** Like `latestForCircle`, only when and which: the circle overview's last REGISTER per line. */
  latestMarksForCircle(circle: string, types: readonly RegistrationEventType[], type?: UniqueType): Promise<Map<string, EventMark>>;
  /** Events after an id in ascending order: consumers catch up from their cursor with this. */
  listAfter(afterId: number, limit: number): Promise<StoredRegistrationEvent[]>;
  /** Appends events (used by ingest of external registrars); returns them with ids. */
  append(events: readonly RegistrationEvent[]): Promise<StoredRegistrationEvent[]>;
}

/** Outcome of asking an external login server (Kamailio, OpenSIPS...) for a unique's bindings. */
export type ExternalLineState =
  | { readonly ok: true; readonly bindings: readonly Binding[]; readonly lastRegisterAt: Date | null }
  | { readonly ok: false; readonly reason: 'timeout' | 'unreachable' | 'error'; readonly message: string };

/** Login servers served by other registrars, asked on demand (the portal's "?" then click). */
export interface ExternalLoginServers {
  /** True when an adapter is configured for this login server. */
  has(loginServer: string): boolean;
  query(unique: string, loginServer: string): Promise<ExternalLineState>;
}
