/**
 * Event emission of the registrar: events that change no binding are persisted write-behind, and
 * real authentication failures are counted toward abuse blocks (one `blocked` event per block).
 *
 * @remarks
 * Every promise handed to the delegate is tracked so that `flush()` (server stop) can wait for
 * in-flight persists; none is left floating (each ends in a logged `.catch`).
 */
import { getHeader, parseContactList } from '../message/index.js';
import type { SipRequest } from '../message/index.js';
import type { AbuseGuard } from '../abuse/abuse-guard.js';
import type { BindingRecord, RegistrarCommit, RegistrarDelegate, RegistrarEvent, RegistrarEventType, SipLogger } from './delegates.js';

/** Where a request came from, computed once per request by the server. */
export interface RequestContext {
  readonly ip: string;
  /** "203.0.113.7:5062" or "[2001:db8::1]:5060" */
  readonly source: string;
  readonly transport: 'udp' | 'tcp';
  readonly userAgent: string | null;
  readonly callId: string | null;
}

/** Builds events, persists them behind, tracks in-flight persists. */
export class EventRecorder {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly delegate: RegistrarDelegate,
    private readonly abuse: AbuseGuard,
    private readonly logger: SipLogger,
    private readonly now: () => number,
  ) {}

  /** Count a real authentication failure toward blocking; emit one `blocked` event when a block starts. */
  noteFailure(req: SipRequest, ctx: RequestContext, unique: string, now: number, scanner: boolean): void {
    const block = this.abuse.recordFailure(ctx.ip, unique, now, scanner);
    if (block === null) return;
    this.record(req, ctx, 'blocked', unique, null, { reason: block.reason, until: new Date(block.until).toISOString(), scanner }, null);
  }

  /** Emit an event that changes no binding (write-behind). */
  record(req: SipRequest, ctx: RequestContext, type: RegistrarEventType, unique: string, responseCode: number | null, detail: RegistrarEvent['detail'], requestedExpires: number | null): void {
    const event: RegistrarEvent = {
      type,
      unique,
      at: new Date(this.now()),
      method: req.method,
      source: ctx.source,
      transport: ctx.transport,
      userAgent: ctx.userAgent,
      contact: firstContact(req),
      callId: ctx.callId,
      requestedExpires,
      grantedExpires: null,
      responseCode,
      detail,
    };
    this.persistBehind({ upserts: [], removals: [], events: [event] });
  }

  /** Persist without waiting; failures are logged. */
  persistBehind(commit: RegistrarCommit): void {
    this.track(
      this.delegate.persist(commit).catch((cause: unknown) => {
        this.logger.error({ err: cause }, 'registrar write-behind persist failed');
      }),
    );
  }

  /** Remember a promise until it settles (for {@link flush}). */
  track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    const settle = (): void => {
      this.inFlight.delete(p);
    };
    p.then(settle, (cause: unknown) => {
      settle();
      this.logger.error({ err: cause }, 'registrar reply after persist failed');
    });
  }

  /** Wait for every persist in flight. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

/** First Contact URI of a request, for events. */
export function firstContact(req: SipRequest): string | null {
  const value = getHeader(req, 'Contact');
  if (value === undefined) return null;
  const list = parseContactList(value);
  if (!list.ok) return null;
  return list.value === '*' ? '*' : (list.value[0]?.rawUri ?? null);
}

/** Event about one binding. */
export function bindingEvent(type: RegistrarEventType, b: BindingRecord, now: number, method: string, responseCode: number | null, detail: RegistrarEvent['detail']): RegistrarEvent {
  return {
    type,
    unique: b.unique,
    at: new Date(now),
    method,
    source: b.source,
    transport: b.transport,
    userAgent: b.userAgent,
    contact: b.contact,
    callId: b.callId,
    requestedExpires: b.requestedExpires,
    grantedExpires: type === 'unregistered' || type === 'expired' ? 0 : b.grantedExpires,
    responseCode,
    detail,
  };
}
