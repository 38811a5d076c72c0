/**
 * Ingest of registration and authentication events from external registrars
 * (`POST /api/v1/ingest/events`, documented in docs/external-registrars.md).
 *
 * All or nothing: every envelope and every event is validated and mapped first; only a fully valid
 * body reaches the sink, in one `append` call.
 */
import { z } from 'zod';
import type { Clock, RegistrationEvent, StoredRegistrationEvent } from '../../domain/index.js';
import { ExternalError } from '../errors.js';
import type { EventSink } from './event-sink.js';
import { mapFreeSwitchEvent } from './freeswitch-events.js';
import { mapGenericEvent } from './generic-events.js';
import { mapKamailioEvent } from './kamailio-events.js';
import type { EventMapper, IngestSource } from './mapping.js';
import { mapOpenSipsEvent } from './opensips-events.js';

export const MAX_INGEST_EVENTS = 1000;

const MAPPERS: Record<IngestSource, EventMapper> = {
  kamailio: mapKamailioEvent,
  opensips: mapOpenSipsEvent,
  freeswitch: mapFreeSwitchEvent,
  generic: mapGenericEvent,
};

const Envelope = z
  .object({
    source: z.enum(['kamailio', 'opensips', 'freeswitch', 'generic']),
    loginServer: z.string().trim().min(1, 'must not be empty'),
    events: z.union([z.array(z.unknown()), z.record(z.unknown())], {
      errorMap: () => ({ message: 'must be an event object or an array of events' }),
    }),
  })
  .strict();

/** Which login servers may send events: those configured as external. */
export interface IngestLoginServers {
  isExternal(loginServer: string): boolean;
}

export interface EventIngestDeps {
  readonly sink: EventSink;
  readonly loginServers: IngestLoginServers;
  readonly clock: Clock;
  readonly maxEvents?: number;
}

export interface IngestResult {
  /** Stored events with their ids, in body order. */
  readonly stored: StoredRegistrationEvent[];
  /** Valid events that carry nothing for linewatch (AOR-level notifications, challenges). */
  readonly skipped: number;
}

export class EventIngest {
  constructor(private readonly deps: EventIngestDeps) {}

  /** Validates, maps and stores; throws `ExternalError` (nothing stored) on any invalid part. */
  async ingest(body: unknown): Promise<IngestResult> {
    const max = this.deps.maxEvents ?? MAX_INGEST_EVENTS;
    const receivedAt = this.deps.clock.now();
    const multi = Array.isArray(body);
    const envelopes: unknown[] = multi ? body : [body];
    if (envelopes.length === 0) throw invalid('(body)', 'is an empty array: send at least one envelope');
    const events: RegistrationEvent[] = [];
    let skipped = 0;
    let total = 0;
    for (let i = 0; i < envelopes.length; i++) {
      const at = multi ? `[${i}]` : '';
      const parsed = Envelope.safeParse(envelopes[i]);
      if (!parsed.success) {
        const first = parsed.error.issues[0]!;
        throw invalid(joinPath(at, first.path), first.message);
      }
      const envelope = parsed.data;
      if (!this.deps.loginServers.isExternal(envelope.loginServer))
        throw new ExternalError(
          'EXTERNAL_ERR_INGEST_UNKNOWN_LOGIN_SERVER',
          `${joinPath(at, ['loginServer'])}: login server '${envelope.loginServer.slice(0, 100)}' is not configured as external in LOGIN_SERVERS_CONFIG`,
        );
      const raw = Array.isArray(envelope.events) ? envelope.events : [envelope.events];
      total += raw.length;
      if (total > max)
        throw new ExternalError('EXTERNAL_ERR_INGEST_TOO_MANY_EVENTS', `at most ${max} events per request; split the batch`);
      const map = MAPPERS[envelope.source];
      for (let j = 0; j < raw.length; j++) {
        const outcome = map(raw[j], { loginServer: envelope.loginServer, receivedAt });
        if (!outcome.ok) throw invalid(joinPath(at, ['events', j, ...outcome.path]), outcome.message, envelope.source);
        if (outcome.event) events.push(outcome.event);
        else skipped++;
      }
    }
    const stored = events.length > 0 ? await this.deps.sink.append(events) : [];
    return { stored, skipped };
  }
}

function invalid(field: string, message: string, source?: IngestSource): ExternalError {
  return new ExternalError('EXTERNAL_ERR_INGEST_INVALID', `${field}: ${message}${source ? ` (source '${source}')` : ''}`);
}

/** `[1].events[3].params.aor`-style paths. */
function joinPath(head: string, path: readonly (string | number)[]): string {
  let out = head;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(body)' : out;
}
