/**
 * The seam between linewatch and a registrar it does not run. One adapter instance serves one
 * configured login server; adding OpenSIPS (`opensips-mi`) or Asterisk (`asterisk-ari`) means one
 * more settings schema in `login-servers-config.ts` and one more factory in `adapter-factories.ts`.
 */
import type { Clock, ExternalLineState, Locale } from '../domain/index.js';

/** Asks one external registrar for a unique's current bindings. */
export interface RegistrarAdapter {
  /** Adapter kind as written in the configuration (`kamailio-jsonrpc`). */
  readonly kind: string;
  /**
   * The unique's bindings right now.
   *
   * @remarks
   * MUST NOT throw or reject: every failure is `{ok:false, reason, message}` with a message a
   * support agent can act on. "Not registered" is `{ok:true, bindings:[]}`, not a failure.
   */
  lookup(unique: string): Promise<ExternalLineState>;
}

/** What every adapter gets besides its own settings. */
export interface AdapterDeps {
  readonly clock: Clock;
  readonly locale: Locale;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}
