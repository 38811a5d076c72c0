/**
 * The registrar TU: REGISTER processing in the order of RFC 3261 §10.3, and INVITE refusal.
 *
 * @remarks
 * https://www.rfc-editor.org/rfc/rfc3261#section-10.3. Each step is a small function quoting the
 * RFC sentence it implements; a step returns a {@link Refusal} to stop processing. Bindings live in
 * memory ({@link BindingTable}); a REGISTER that creates or removes a binding is answered only once
 * `persist()` resolved (durable), a refresh is answered at once and persisted behind (write-behind):
 * bench-facts.md shows synchronous database writes cap a registrar at ~2,700/s.
 */
import { getHeader, getHeaderValues, parseContactList, parseDigestCredentials, parseNameAddr, parseUri } from '../message/index.js';
import type { SipHeaderField, SipNameAddr, SipRequest } from '../message/index.js';
import type { DigestAuthenticator, DigestOutcome } from '../auth/digest.js';
import type { AbuseGuard } from '../abuse/abuse-guard.js';
import { decideExpires, parseQ, planContacts, planRemoveAll, remainingSeconds, type ContactRequest, type ExpiryPolicy, type RegistrationPlan } from './bindings.js';
import type { BindingTable } from './binding-table.js';
import type { ExpirySchedule } from './expiry-schedule.js';
import type { RegistrarCommit, RegistrarDelegate, RegistrarEvent, RegistrarEventType, SipLogger, SipMetrics } from './delegates.js';
import { bindingEvent, EventRecorder } from './event-recorder.js';
import { SipPersistError } from '../errors.js';

/** Re-exported for the server, which builds the context. */
export type { RequestContext } from './event-recorder.js';
import type { RequestContext } from './event-recorder.js';

/** How the TU answers: the server builds, serializes and hands the response to the transaction. */
export type Reply = (status: number, reason: string, headers?: readonly SipHeaderField[]) => void;

/** Everything the registrar needs, injected. */
export interface RegistrarOptions {
  readonly domain: string;
  readonly servedDomains: readonly string[];
  /** Our own addresses (Request-URI may name us by IP). */
  isLocalAddress(host: string): boolean;
  readonly policy: ExpiryPolicy;
  readonly maxBindingsPerAor: number;
  readonly authenticator: DigestAuthenticator;
  readonly abuse: AbuseGuard;
  readonly table: BindingTable;
  readonly schedule: ExpirySchedule;
  readonly delegate: RegistrarDelegate;
  readonly metrics: SipMetrics;
  readonly logger: SipLogger;
  now(): number;
}

/** A step's refusal: status, reason phrase, extra headers, event to record. */
interface Refusal {
  readonly status: number;
  readonly reason: string;
  readonly headers?: readonly SipHeaderField[];
  readonly event?: { type: RegistrarEventType; unique: string; detail: RegistrarEvent['detail']; requestedExpires?: number | null };
}

type Step<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };
const ok = <T>(value: T): Step<T> => ({ ok: true, value });
const refuse = (refusal: Refusal): Step<never> => ({ ok: false, refusal });

const SUPPORTED_EXTENSIONS = new Set(['path', 'outbound']);

/** REGISTER and INVITE handling on top of digest auth, the binding table and the delegate. */
export class Registrar {
  private readonly served: ReadonlySet<string>;
  /** Emits events that change no binding, and counts failures toward blocks. */
  readonly recorder: EventRecorder;
  private readonly servedUris = new Map<string, boolean>();
  private dateSecond = -1;
  private dateText = '';

  constructor(private readonly o: RegistrarOptions) {
    this.served = new Set([o.domain, ...o.servedDomains].map((d) => d.toLowerCase()));
    this.recorder = new EventRecorder(o.delegate, o.abuse, o.logger, o.now);
  }

  /** Process a new REGISTER (never a retransmission: the transaction layer absorbs those). */
  handleRegister(req: SipRequest, ctx: RequestContext, reply: Reply): void {
    const domain = this.checkRequestUriDomain(req);
    if (!domain.ok) return this.refuse(req, ctx, reply, domain.refusal, '');
    const aor = this.extractAddressOfRecord(req);
    if (!aor.ok) return this.refuse(req, ctx, reply, aor.refusal, '');
    const unique = aor.value;
    const auth = this.authenticate(req, ctx, reply, unique, 'Authorization');
    if (auth === null) return;
    const authorized = this.authorizeUser(auth, unique);
    if (!authorized.ok) return this.refuse(req, ctx, reply, authorized.refusal, unique);
    const required = this.checkRequire(req);
    if (!required.ok) return this.refuse(req, ctx, reply, required.refusal, unique);
    const contacts = this.processContacts(req, unique);
    if (!contacts.ok) return this.refuse(req, ctx, reply, contacts.refusal, unique);
    if (contacts.value === null) return this.replyBindings(req, reply, unique); // query
    this.applyBindings(req, ctx, reply, unique, contacts.value);
  }

  /**
   * INVITE: challenge with 407, refuse wrong credentials like REGISTER, then 501.
   *
   * @remarks
   * linewatch monitors registrations and does not route calls. A phone that sends INVITE here is
   * misconfigured to use the registrar as its outbound proxy. We still authenticate so that a wrong
   * password is recorded exactly like REGISTER's (the support team sees it), and then answer
   * `501 Not Implemented` with a Warning: 501 is final and phones do not retry it, whereas 480
   * would invite retries and suggest the callee is merely away.
   */
  handleInvite(req: SipRequest, ctx: RequestContext, reply: Reply): void {
    const from = parseNameAddr(getHeader(req, 'From') ?? '');
    const unique = from.ok ? (from.value.uri.user ?? '') : '';
    const auth = this.authenticate(req, ctx, reply, unique, 'Proxy-Authorization');
    if (auth === null) return;
    reply(501, 'Not Implemented', [{ name: 'Warning', value: `399 ${this.o.domain} "linewatch is a registrar and does not route calls"` }]);
  }

  /** Remove bindings whose expiry has passed; emits one `expired` event each (write-behind). */
  sweepExpired(now: number): void {
    const due = this.o.schedule.popDue(now);
    if (due.length === 0) return;
    const events: RegistrarEvent[] = [];
    const removals: { unique: string; contact: string }[] = [];
    for (const record of due) {
      if (record.expiresAt > now || !this.o.table.remove(record)) continue;
      removals.push({ unique: record.unique, contact: record.contact });
      events.push(bindingEvent('expired', record, now, 'REGISTER', null, { reason: 'expired' }));
    }
    if (removals.length === 0) return;
    this.o.metrics.activeBindings(this.o.table.size);
    this.recorder.persistBehind({ upserts: [], removals, events });
  }

  /** Wait for every persist in flight (server stop). */
  flush(): Promise<void> {
    return this.recorder.flush();
  }

  // --- RFC 3261 §10.3 steps -------------------------------------------------------------------

  /**
   * Step 1: "The registrar inspects the Request-URI to determine whether it has access to bindings
   * for the domain identified in the Request-URI. If not, and if the server also acts as a proxy
   * server, the server SHOULD forward the request ... [otherwise] a 404". Lenient: our domain, any
   * served domain (login servers), or one of our own IP addresses (phones configured with an IP).
   */
  private checkRequestUriDomain(req: SipRequest): Step<null> {
    // Phones of one deployment send a handful of distinct Request-URIs: remember the verdicts
    // (bounded) instead of parsing the same URI 20k times a second.
    if (this.servedUris.get(req.requestUri) === true) return ok(null);
    const uri = parseUri(req.requestUri);
    if (!uri.ok) return refuse({ status: 400, reason: `Bad Request-URI: ${uri.reason}`, event: undefined });
    const host = uri.value.host.toLowerCase();
    if (this.served.has(host) || this.o.isLocalAddress(host)) {
      if (this.servedUris.size < 1024) this.servedUris.set(req.requestUri, true);
      return ok(null);
    }
    return refuse({ status: 404, reason: 'Domain Not Served Here', event: { type: 'rejected', unique: '', detail: { reason: 'domain_not_served', domain: host } } });
  }

  /** Step 5: "The registrar extracts the address-of-record from the To header field of the request." */
  private extractAddressOfRecord(req: SipRequest): Step<string> {
    const to = parseNameAddr(getHeader(req, 'To') ?? '');
    if (!to.ok) return refuse({ status: 400, reason: `Bad To header: ${to.reason}` });
    const user = to.value.uri.user;
    if (user === null || user === '') {
      return refuse({ status: 404, reason: 'Address-of-record Not Found', event: { type: 'rejected', unique: '', detail: { reason: 'no_aor_user' } } });
    }
    return ok(user);
  }

  /**
   * Step 3: "A registrar SHOULD authenticate the UAC." (RFC 3261 §22). Returns the authenticated
   * user, or null after answering (401/407 challenge, 403, 400).
   */
  private authenticate(req: SipRequest, ctx: RequestContext, reply: Reply, unique: string, header: 'Authorization' | 'Proxy-Authorization'): string | null {
    const candidates: ReadonlyMap<string, string>[] = [];
    for (const h of req.headers) {
      if (h.name !== header) continue;
      const parsed = parseDigestCredentials(h.value);
      if (parsed.ok) candidates.push(parsed.value);
    }
    const outcome: DigestOutcome = candidates.length === 0 ? { kind: 'challenge' } : this.o.authenticator.authenticate(req.method, candidates);
    const proxy = header === 'Proxy-Authorization';
    const challenge = (stale: boolean): void => {
      const name = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
      reply(
        proxy ? 407 : 401,
        proxy ? 'Proxy Authentication Required' : 'Unauthorized',
        this.o.authenticator.challenges(stale).map((value) => ({ name, value })),
      );
    };
    const now = this.o.now();
    switch (outcome.kind) {
      case 'ok':
        return outcome.username;
      case 'challenge':
        challenge(false);
        return null;
      case 'stale':
        this.o.metrics.authFailure(outcome.reason === 'expired' ? 'stale_nonce' : 'replay');
        this.recorder.record(req, ctx, 'stale_nonce', outcome.username, proxy ? 407 : 401, { reason: outcome.reason }, null);
        challenge(true);
        return null;
      case 'malformed':
        this.refuse(req, ctx, reply, { status: 400, reason: outcome.reason, event: { type: 'rejected', unique, detail: { reason: 'malformed_credentials' } } }, unique);
        return null;
      case 'wrong_password':
      case 'unknown_unique': {
        this.o.metrics.authFailure(outcome.kind);
        const type = outcome.kind === 'wrong_password' ? 'auth_failed' : 'unknown_unique';
        this.recorder.record(req, ctx, type, outcome.username, 403, { reason: outcome.kind, algorithm: outcome.algorithm }, null);
        reply(403, 'Forbidden');
        this.recorder.noteFailure(req, ctx, outcome.username, now, false);
        return null;
      }
    }
  }

  /**
   * Step 4: "The registrar SHOULD determine if the authenticated user is authorized to modify
   * registrations for this address-of-record." Here: the digest user name must be the To user.
   */
  private authorizeUser(user: string, unique: string): Step<null> {
    if (user === unique) return ok(null);
    this.o.metrics.authFailure('user_mismatch');
    return refuse({ status: 403, reason: 'Digest user does not match the AOR', event: { type: 'rejected', unique, detail: { reason: 'user_mismatch', digestUser: user } } });
  }

  /**
   * Step 2: "The registrar MUST process the Require header field values as described for UASs in
   * Section 8.2.2." — "[it] MUST respond by generating a response with a status code of 420 (Bad
   * Extension). The UAS MUST add an Unsupported header field".
   */
  private checkRequire(req: SipRequest): Step<null> {
    const unsupported = getHeaderValues(req, 'Require').filter((t) => !SUPPORTED_EXTENSIONS.has(t.toLowerCase()));
    if (unsupported.length === 0) return ok(null);
    return refuse({ status: 420, reason: 'Bad Extension', headers: [{ name: 'Unsupported', value: unsupported.join(', ') }] });
  }

  /**
   * Step 6: "The registrar checks whether the request contains the Contact header field. If not, it
   * skips to the last step." — "If the request has additional Contact fields or an expiration time
   * other than zero, the request is invalid, and the server MUST return a 400 (Invalid Request)".
   * Returns null for a query (no Contact), '*' for remove-all, else the interpreted contacts.
   */
  private processContacts(req: SipRequest, unique: string): Step<'*' | ContactRequest[] | null> {
    const values = req.headers.filter((h) => h.name === 'Contact');
    if (values.length === 0) return ok(null);
    const entries: ('*' | SipNameAddr)[] = [];
    for (const h of values) {
      const parsed = parseContactList(h.value);
      if (!parsed.ok) return refuse({ status: 400, reason: `Bad Contact: ${parsed.reason}`, event: { type: 'rejected', unique, detail: { reason: 'bad_contact' } } });
      if (parsed.value === '*') entries.push('*');
      else entries.push(...parsed.value);
    }
    const expiresHeader = getHeader(req, 'Expires');
    if (entries.includes('*')) {
      if (entries.length !== 1 || expiresHeader?.trim() !== '0') {
        return refuse({ status: 400, reason: 'Contact: * requires Expires: 0 and no other Contact', event: { type: 'rejected', unique, detail: { reason: 'bad_wildcard' } } });
      }
      return ok('*');
    }
    const out: ContactRequest[] = [];
    for (const entry of entries as SipNameAddr[]) {
      const expires = decideExpires(entry.params.get('expires'), expiresHeader, this.o.policy);
      if (expires.kind === 'invalid') return refuse({ status: 400, reason: expires.reason, event: { type: 'rejected', unique, detail: { reason: 'bad_expires' } } });
      if (expires.kind === 'too_brief') {
        // RFC 3261 §10.3 step 6: "the registrar MAY reject the registration with a response of 423
        // (Interval Too Brief). This response MUST contain a Min-Expires header field".
        return refuse({
          status: 423,
          reason: 'Interval Too Brief',
          headers: [{ name: 'Min-Expires', value: String(this.o.policy.minExpires) }],
          event: { type: 'interval_too_brief', unique, detail: { minExpires: this.o.policy.minExpires }, requestedExpires: expires.requested },
        });
      }
      const instance = entry.params.get('+sip.instance');
      const regId = entry.params.get('reg-id');
      out.push({
        contact: entry.rawUri,
        expires,
        q: parseQ(entry.params.get('q')),
        instanceId: instance === undefined || instance === null ? null : instance.replace(/^"|"$/g, ''),
        regId: regId === undefined || regId === null || !/^\d{1,9}$/.test(regId) ? null : Number(regId),
      });
    }
    return ok(out);
  }

  /** Step 7: apply, commit, answer (after the durable commit when a binding appears or disappears). */
  private applyBindings(req: SipRequest, ctx: RequestContext, reply: Reply, unique: string, contacts: '*' | ContactRequest[]): void {
    const nowMs = this.o.now();
    const cseq = Number.parseInt(getHeader(req, 'CSeq') ?? '', 10);
    const facts = {
      unique,
      callId: ctx.callId ?? '',
      cseq: Number.isFinite(cseq) ? cseq : 0,
      source: ctx.source,
      transport: ctx.transport,
      userAgent: ctx.userAgent,
      path: getHeaderValues(req, 'Path'),
      now: nowMs,
    };
    const previous = this.o.table.get(unique);
    const plan: RegistrationPlan = contacts === '*' ? planRemoveAll(previous, facts) : planContacts(previous, contacts, facts, this.o.maxBindingsPerAor);
    if (!plan.ok) {
      // "If not, the update MUST be aborted and the request fails." (500, as for a failed commit.)
      return this.refuse(req, ctx, reply, { status: 500, reason: plan.reason, event: { type: 'rejected', unique, detail: { reason: 'cseq_out_of_order' } } }, unique);
    }
    this.o.table.set(unique, plan.next);
    for (const b of plan.created) this.o.schedule.add(b);
    for (const b of plan.refreshed) this.o.schedule.add(b);
    if (this.o.schedule.needsCompaction(this.o.table.size)) this.o.schedule.compact(this.o.table.records());
    this.o.metrics.activeBindings(this.o.table.size);
    const events: RegistrarEvent[] = [
      ...plan.created.map((b) => bindingEvent('registered', b, nowMs, req.method, 200, {})),
      ...plan.refreshed.map((b) => bindingEvent('refreshed', b, nowMs, req.method, 200, {})),
      ...plan.removed.map((r) => bindingEvent('unregistered', { ...r.record, source: ctx.source, userAgent: ctx.userAgent }, nowMs, req.method, 200, { reason: r.reason })),
    ];
    const commit: RegistrarCommit = {
      upserts: [...plan.created, ...plan.refreshed],
      removals: plan.removed.map((r) => ({ unique, contact: r.record.contact })),
      events,
    };
    if (plan.created.length === 0 && plan.removed.length === 0) {
      this.recorder.persistBehind(commit);
      return this.replyBindings(req, reply, unique);
    }
    // RFC 3261 §10.3 step 7: "The binding updates MUST be committed (that is, made visible to the
    // proxy or redirect server) if and only if all binding updates and additions succeed. If any one
    // of them fails (for example, because the back-end database commit failed), the request MUST fail
    // with a 500 (Server Error) response and all tentative binding updates MUST be removed."
    const started = performance.now();
    const done = this.o.delegate.persist(commit).then(
      () => {
        this.o.metrics.persistLatency((performance.now() - started) / 1000);
        this.replyBindings(req, reply, unique);
      },
      (cause: unknown) => {
        this.o.logger.error({ err: new SipPersistError({ cause }), unique }, 'registrar commit failed; rolling back');
        // Roll back only if nothing else changed this AOR meanwhile (an empty table entry is not
        // kept as an array, hence the second test for a plan that removed everything).
        const current = this.o.table.get(unique);
        if (current === plan.next || (plan.next.length === 0 && current.length === 0)) {
          this.o.table.set(unique, previous);
          for (const b of previous) this.o.schedule.add(b);
          this.o.metrics.activeBindings(this.o.table.size);
        }
        reply(500, 'Server Internal Error');
      },
    );
    this.recorder.track(done);
  }

  /**
   * Step 8: "The registrar returns a 200 (OK) response. The response MUST contain Contact header
   * field values enumerating all current bindings. Each Contact value MUST feature an "expires"
   * parameter indicating its expiration interval chosen by the registrar. The response SHOULD
   * include a Date header field."
   */
  private replyBindings(req: SipRequest, reply: Reply, unique: string): void {
    const now = this.o.now();
    const headers: SipHeaderField[] = [];
    for (const b of this.o.table.get(unique)) {
      headers.push({ name: 'Contact', value: `<${b.contact}>;expires=${remainingSeconds(b, now)}${b.q === null ? '' : `;q=${b.q}`}` });
    }
    // RFC 3327 §5.3: the registrar "MUST copy all Path header field values into a Path header field
    // in the successful (200 OK) REGISTER response".
    for (const p of getHeaderValues(req, 'Path')) headers.push({ name: 'Path', value: p });
    headers.push({ name: 'Date', value: this.httpDate(now) });
    reply(200, 'OK', headers);
  }

  /** RFC 1123 date for the Date header, formatted once per second. */
  private httpDate(now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = new Date(second * 1000).toUTCString();
    }
    return this.dateText;
  }

  private refuse(req: SipRequest, ctx: RequestContext, reply: Reply, r: Refusal, unique: string): void {
    if (r.event !== undefined) {
      this.recorder.record(req, ctx, r.event.type, r.event.unique === '' ? unique : r.event.unique, r.status, r.event.detail, r.event.requestedExpires ?? null);
    }
    reply(r.status, r.reason, r.headers);
  }
}
