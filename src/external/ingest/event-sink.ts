import type { RegistrationEvent, StoredRegistrationEvent } from '../../domain/index.js';

/**
 * Where ingested events go: the composition root wires the event repository's `append` and hands
 * the stored events to the alert engine, so history and alerts work for external lines too.
 */
export interface EventSink {
  /** Stores all events atomically, in order; returns them with ids. */
  append(events: readonly RegistrationEvent[]): Promise<StoredRegistrationEvent[]>;
}
