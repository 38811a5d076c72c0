/**
 * Pure binding math of a REGISTER: expiration, Contact: * rules, Call-ID/CSeq ordering, q,
 * maximum bindings per AOR. No I/O, no clock: everything is passed in.
 *
 * @remarks
 * RFC 3261 §10.3 steps 6–7: https://www.rfc-editor.org/rfc/rfc3261#section-10.3 ;
 * RFC 5626 §7 (flows: +sip.instance + reg-id identify a binding); RFC 3327 (Path, stored only).
 */
import { ownCopy } from '../message/index.js';
import type { BindingRecord } from './delegates.js';

/** Registrar expiry policy, seconds. */
export interface ExpiryPolicy {
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires: number;
}

/** The registrar's decision about one contact's expiration. */
export type ExpiresDecision =
  | { readonly kind: 'ok'; readonly requested: number | null; readonly granted: number }
  | { readonly kind: 'too_brief'; readonly requested: number }
  | { readonly kind: 'invalid'; readonly reason: string };

const DELTA_SECONDS = /^\d{1,10}$/;

/**
 * Step 6: "If the field value has an "expires" parameter, that value MUST be taken as the requested
 * expiration. If there is no such parameter, but the request has an Expires header field, that value
 * MUST be taken as the requested expiration. If there is neither, the registrar chooses a default
 * value." — "If and only if the requested expiration interval is greater than zero AND smaller than
 * one hour AND less than a registrar-configured minimum, the registrar MAY reject the registration
 * with a response of 423 (Interval Too Brief)." — "The registrar MAY choose an expiration less than
 * the requested expiration interval" (clamped to maxExpires).
 */
export function decideExpires(
  contactExpires: string | null | undefined,
  headerExpires: string | undefined,
  policy: ExpiryPolicy,
): ExpiresDecision {
  const text = contactExpires ?? headerExpires;
  if (text === undefined || text === null) return { kind: 'ok', requested: null, granted: policy.defaultExpires };
  const trimmed = text.trim();
  if (!DELTA_SECONDS.test(trimmed)) return { kind: 'invalid', reason: `Invalid expires value "${trimmed.slice(0, 20)}"` };
  const requested = Number(trimmed);
  if (requested === 0) return { kind: 'ok', requested: 0, granted: 0 };
  if (requested < policy.minExpires && requested < 3600) return { kind: 'too_brief', requested };
  return { kind: 'ok', requested, granted: Math.min(requested, policy.maxExpires) };
}

/** q-value (RFC 3261 §20.10, "0" to "1" with up to three decimals); null when absent or invalid. */
export function parseQ(text: string | null | undefined): number | null {
  if (text === undefined || text === null) return null;
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text.trim())) return null;
  return Number(text.trim());
}

/** One contact of a REGISTER, already interpreted. */
export interface ContactRequest {
  /** Contact URI as received (without `<>`). */
  readonly contact: string;
  readonly expires: { readonly requested: number | null; readonly granted: number };
  readonly q: number | null;
  readonly instanceId: string | null;
  readonly regId: number | null;
}

/** Everything about the REGISTER that ends up in a binding. */
export interface RegisterFacts {
  readonly unique: string;
  readonly callId: string;
  readonly cseq: number;
  readonly source: string;
  readonly transport: 'udp' | 'tcp';
  readonly userAgent: string | null;
  readonly path: readonly string[];
  /** Epoch milliseconds. */
  readonly now: number;
}

/** Why a binding leaves the table. */
export type RemovalReason = 'unregistered' | 'max_bindings' | 'replaced_flow';

/** Outcome of planning a REGISTER against the current bindings of its AOR. */
export type RegistrationPlan =
  | {
      readonly ok: true;
      readonly next: readonly BindingRecord[];
      readonly created: readonly BindingRecord[];
      readonly refreshed: readonly BindingRecord[];
      readonly removed: readonly { readonly record: BindingRecord; readonly reason: RemovalReason }[];
    }
  | { readonly ok: false; readonly reason: string };

/** Identity of a binding: RFC 5626 §7 flow (instance + reg-id) or the contact URI. */
export function bindingKey(b: { contact: string; instanceId: string | null; regId: number | null }): string {
  return b.instanceId !== null && b.regId !== null ? `flow:${b.instanceId}:${b.regId}` : `uri:${b.contact}`;
}

/**
 * Step 7: "If the binding does exist, the registrar checks the Call-ID value. If the Call-ID value in
 * the existing binding differs from the Call-ID value in the request, the binding MUST be removed if
 * the expiration time is zero and updated otherwise. If they are the same, the registrar compares the
 * CSeq value. If the value is higher than that of the existing binding, it MUST update or remove the
 * binding as above. If not, the update MUST be aborted and the request fails."
 */
function isInOrder(existing: BindingRecord, facts: RegisterFacts): boolean {
  return existing.callId !== facts.callId || facts.cseq > existing.cseq;
}

/**
 * A copy of `s` that does not keep the request text alive.
 *
 * @remarks A binding lives for minutes to hours: its strings must not keep the request they were
 * taken from ({@link ownCopy}). When the previous record holds an equal string, it is reused.
 */
export function detach(s: string, previous: string | undefined): string {
  if (previous === s) return previous;
  return ownCopy(s);
}

function detachNullable(s: string | null, previous: string | null | undefined): string | null {
  return s === null ? null : detach(s, previous ?? undefined);
}

function makeRecord(c: ContactRequest, facts: RegisterFacts, previous: BindingRecord | undefined): BindingRecord {
  return {
    unique: detach(facts.unique, previous?.unique),
    contact: detach(c.contact, previous?.contact),
    source: detach(facts.source, previous?.source),
    transport: facts.transport,
    userAgent: detachNullable(facts.userAgent, previous?.userAgent),
    callId: detach(facts.callId, previous?.callId),
    cseq: facts.cseq,
    path: facts.path.length === 0 ? NO_PATH : facts.path.map((p) => detach(p, undefined)),
    instanceId: detachNullable(c.instanceId, previous?.instanceId),
    regId: c.regId,
    q: c.q,
    requestedExpires: c.expires.requested,
    grantedExpires: c.expires.granted,
    registeredAt: previous?.registeredAt ?? facts.now,
    refreshedAt: facts.now,
    expiresAt: facts.now + c.expires.granted * 1000,
  };
}

const NO_PATH: readonly string[] = Object.freeze([]);

/** Plan the bindings for a REGISTER with contacts (not `*`). */
export function planContacts(
  existing: readonly BindingRecord[],
  contacts: readonly ContactRequest[],
  facts: RegisterFacts,
  maxBindingsPerAor: number,
): RegistrationPlan {
  const next = new Map<string, BindingRecord>();
  for (const b of existing) next.set(bindingKey(b), b);
  const created: BindingRecord[] = [];
  const refreshed: BindingRecord[] = [];
  const removed: { record: BindingRecord; reason: RemovalReason }[] = [];
  for (const c of contacts) {
    const key = bindingKey(c);
    const previous = next.get(key);
    if (previous !== undefined && !isInOrder(previous, facts)) {
      return { ok: false, reason: 'CSeq out of order for an existing binding' };
    }
    if (c.expires.granted === 0) {
      if (previous !== undefined) {
        next.delete(key);
        removed.push({ record: previous, reason: 'unregistered' });
      }
      continue;
    }
    const record = makeRecord(c, facts, previous);
    next.set(key, record);
    if (previous === undefined) created.push(record);
    else if (previous.contact !== record.contact) {
      // RFC 5626 §7: a new contact for the same flow replaces the old one.
      removed.push({ record: previous, reason: 'replaced_flow' });
      created.push(record);
    } else refreshed.push(record);
  }
  // Maximum bindings per AOR: the least recently refreshed ones are replaced.
  const all = [...next.values()];
  if (all.length > maxBindingsPerAor) {
    const order = all.map((b, i) => ({ b, i })).sort((x, y) => x.b.refreshedAt - y.b.refreshedAt || x.i - y.i);
    for (const { b } of order.slice(0, all.length - maxBindingsPerAor)) {
      next.delete(bindingKey(b));
      const c = created.indexOf(b);
      if (c >= 0) created.splice(c, 1);
      else {
        const r = refreshed.indexOf(b);
        if (r >= 0) refreshed.splice(r, 1);
        removed.push({ record: b, reason: 'max_bindings' });
      }
    }
  }
  return { ok: true, next: [...next.values()], created, refreshed, removed };
}

/**
 * Plan `Contact: *`: "the registrar checks whether the Call-ID agrees with the value stored for each
 * binding. If not, it MUST remove the binding. If it does agree, it MUST remove the binding only if
 * the CSeq in the request is higher than the value stored for that binding. Otherwise, the update
 * MUST be aborted and the request fails."
 */
export function planRemoveAll(existing: readonly BindingRecord[], facts: RegisterFacts): RegistrationPlan {
  for (const b of existing) {
    if (!isInOrder(b, facts)) return { ok: false, reason: 'CSeq out of order for an existing binding' };
  }
  return { ok: true, next: [], created: [], refreshed: [], removed: existing.map((record) => ({ record, reason: 'unregistered' as const })) };
}

/** Seconds left on a binding, for `Contact: <uri>;expires=N` in the 200 OK. */
export function remainingSeconds(b: BindingRecord, nowMs: number): number {
  return Math.max(0, Math.round((b.expiresAt - nowMs) / 1000));
}
