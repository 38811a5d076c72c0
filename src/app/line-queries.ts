/**
 * Read side used by the API, the CLI and chat: status documents, history, circle overviews.
 */
import {
  ACCEPTED_REGISTER_TYPES,
  ERROR_EVENT_TYPES,
  buildStatusDocument,
  circleNotFound,
  isStatusSupported,
  uniqueNotFound,
  type Binding,
  type BindingRepo,
  type Circle,
  type CircleRepo,
  type Clock,
  type EventRepo,
  type ExternalLineState,
  type ExternalLoginServers,
  type LineFacts,
  type Locale,
  type StatusDocument,
  type StoredRegistrationEvent,
  type Unique,
  type UniqueRepo,
  type UniqueType,
} from '../domain/index.js';

export interface LineQueriesDeps {
  readonly uniques: UniqueRepo;
  readonly circles: CircleRepo;
  readonly bindings: BindingRepo;
  readonly events: EventRepo;
  readonly clock: Clock;
  readonly locale: Locale;
  readonly minExpires: number;
  /** Login servers whose lines the built-in registrar serves live. */
  readonly servedLoginServers: ReadonlySet<string>;
  readonly external?: ExternalLoginServers;
  readonly formatTime: (at: Date) => string;
}

export interface StatusOptions {
  /** Ask an external login server now (the portal's click on "?"); default true for one line. */
  readonly queryExternal?: boolean;
}

/** One line's facts in full, as `/line status` and `/line why` show them (a circle reads less). */
export interface LineStatusFacts extends LineFacts {
  readonly bindings: readonly Binding[];
  readonly lastRegister: StoredRegistrationEvent | null;
}

export interface LineStatusResult {
  readonly unique: Unique;
  readonly facts: LineStatusFacts;
  readonly document: StatusDocument;
  readonly external: ExternalLineState | null;
}

export class LineQueries {
  private readonly served: ReadonlySet<string>;

  constructor(private readonly deps: LineQueriesDeps) {
    this.served = new Set([...deps.servedLoginServers].map((s) => s.toLowerCase()));
  }

  /** Login server names are host names: compared case-insensitively. */
  isServed(loginServer: string): boolean {
    return this.served.has(loginServer.toLowerCase());
  }

  async status(number: string, options: StatusOptions = {}): Promise<LineStatusResult> {
    const [unique, bindings, latestRegister, latestError] = await Promise.all([
      this.deps.uniques.get(number),
      this.deps.bindings.listForUnique(number),
      this.deps.events.latestForUniques([number], ACCEPTED_REGISTER_TYPES),
      this.deps.events.latestForUniques([number], ERROR_EVENT_TYPES),
    ]);
    if (!unique) throw uniqueNotFound(number);
    let facts: LineStatusFacts = {
      unique,
      bindings,
      lastRegister: latestRegister.get(number) ?? null,
      lastError: latestError.get(number) ?? null,
      served: this.isServed(unique.loginServer),
    };
    let external: ExternalLineState | null = null;
    if (!facts.served && (options.queryExternal ?? true) && isStatusSupported(unique.type) && this.deps.external?.has(unique.loginServer)) {
      external = await this.deps.external.query(number, unique.loginServer);
      if (external.ok) facts = { ...facts, bindings: external.bindings, served: true, externalLastRegisterAt: external.lastRegisterAt };
    }
    return { unique, facts, document: this.document(facts), external };
  }

  document(facts: LineFacts): StatusDocument {
    return buildStatusDocument(facts, {
      locale: this.deps.locale,
      now: this.deps.clock.now(),
      minExpires: this.deps.minExpires,
      formatTime: this.deps.formatTime,
    });
  }

  async history(number: string, limit: number, beforeId?: number): Promise<{ unique: Unique; events: StoredRegistrationEvent[] }> {
    const unique = await this.deps.uniques.get(number);
    if (!unique) throw uniqueNotFound(number);
    const events = await this.deps.events.listForUnique(number, { limit, ...(beforeId !== undefined ? { beforeId } : {}) });
    return { unique, events };
  }

  /** The portal's unique list: every unique of a circle with its status, optionally one type. */
  async circle(number: string, type?: UniqueType): Promise<{ circle: Circle; lines: LineFacts[]; documents: StatusDocument[] }> {
    // Independent reads, sent together (each selects the circle's uniques itself): each round trip
    // to PostgreSQL also waits for a backend to be scheduled, which on a busy machine costs more
    // than the query.
    const [circle, uniques, bindings, latestRegister, latestError] = await Promise.all([
      this.deps.circles.get(number),
      this.deps.uniques.listByCircle(number, type),
      this.deps.bindings.listViewsForCircle(number, type),
      this.deps.events.latestMarksForCircle(number, ACCEPTED_REGISTER_TYPES, type),
      this.deps.events.latestForCircle(number, ERROR_EVENT_TYPES, type),
    ]);
    if (!circle) throw circleNotFound(number);
    const lines = uniques.map(
      (unique): LineFacts => ({
        unique,
        bindings: bindings.get(unique.number) ?? [],
        lastRegister: latestRegister.get(unique.number) ?? null,
        lastError: latestError.get(unique.number) ?? null,
        served: this.isServed(unique.loginServer),
      }),
    );
    return { circle, lines, documents: lines.map((l) => this.document(l)) };
  }
}
