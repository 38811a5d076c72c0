/**
 * Asks a Kamailio registrar for a unique's contacts over JSON-RPC HTTP (`jsonrpcs` + `xhttp`) with
 * `ul.lookup <table> <aor>`.
 *
 * @remarks
 * https://www.kamailio.org/docs/modules/5.6.x/modules/jsonrpcs.html — with `use_domain` off the AOR
 * is the bare user name; set `aorDomain` when Kamailio runs with `modparam("usrloc","use_domain",1)`.
 * Kamailio 5.6 answers an unknown AOR with `{"error":{"code":500,"message":"AOR not found in location
 * table"}}` (newer versions use code 404): both mean "not registered", not a failure.
 */
import { translate, type ExternalLineState } from '../../domain/index.js';
import { callJsonRpc } from '../jsonrpc-call.js';
import { externalMessages } from '../messages.js';
import type { AdapterDeps, RegistrarAdapter } from '../registrar-adapter.js';
import { mapUlLookupResult } from './ul-lookup-result.js';

export interface KamailioJsonRpcSettings {
  readonly loginServer: string;
  /** e.g. `http://10.0.0.5:5071/RPC` */
  readonly url: string;
  readonly timeoutMs: number;
  /** Whole `Authorization` header value, e.g. `Bearer …`, when the xhttp route checks one. */
  readonly authorization?: string | undefined;
  /** Domain appended to the unique (`unique@aorDomain`) when Kamailio's usrloc uses domains. */
  readonly aorDomain?: string | undefined;
  /** usrloc table (the `save()`/`lookup()` domain); default `location`. */
  readonly table: string;
}

export function isAorNotFound(code: number | null, message: string): boolean {
  return code === 404 || /\bAOR not found\b/i.test(message);
}

export class KamailioJsonRpcAdapter implements RegistrarAdapter {
  readonly kind = 'kamailio-jsonrpc';

  constructor(
    private readonly settings: KamailioJsonRpcSettings,
    private readonly deps: AdapterDeps,
  ) {}

  /** The AOR asked for: the unique, with `@aorDomain` when configured. */
  aorOf(unique: string): string {
    return this.settings.aorDomain ? `${unique}@${this.settings.aorDomain}` : unique;
  }

  async lookup(unique: string): Promise<ExternalLineState> {
    const { settings, deps } = this;
    const t = (m: (typeof externalMessages)[keyof typeof externalMessages], p: Record<string, string | number> = {}) =>
      translate(m, deps.locale, { loginServer: settings.loginServer, ...p });
    const outcome = await callJsonRpc({
      url: settings.url,
      method: 'ul.lookup',
      params: [settings.table, this.aorOf(unique)],
      timeoutMs: settings.timeoutMs,
      authorization: settings.authorization,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    switch (outcome.kind) {
      case 'result': {
        const mapped = mapUlLookupResult(outcome.result, unique, deps.clock.now());
        if (!mapped.ok) return { ok: false, reason: 'error', message: t(externalMessages.badAnswer, { detail: mapped.detail }) };
        return { ok: true, bindings: mapped.bindings, lastRegisterAt: mapped.lastRegisterAt };
      }
      case 'rpc_error':
        if (isAorNotFound(outcome.code, outcome.message)) return { ok: true, bindings: [], lastRegisterAt: null };
        return { ok: false, reason: 'error', message: t(externalMessages.rpcError, { detail: `${outcome.code ?? '?'} ${outcome.message}` }) };
      case 'http_error':
        return { ok: false, reason: 'error', message: t(externalMessages.httpStatus, { status: outcome.status }) };
      case 'timeout':
        return { ok: false, reason: 'timeout', message: t(externalMessages.timeout, { ms: settings.timeoutMs }) };
      case 'unreachable':
        return { ok: false, reason: 'unreachable', message: t(externalMessages.unreachable, { url: safeUrl(settings.url), detail: outcome.detail }) };
      case 'bad_answer':
        return { ok: false, reason: 'error', message: t(externalMessages.badAnswer, { detail: outcome.detail }) };
      default: {
        const never: never = outcome;
        return never;
      }
    }
  }
}

/** The URL without credentials or query, safe to show in chat. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
