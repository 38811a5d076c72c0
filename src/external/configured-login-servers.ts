/**
 * The external login servers of the configuration, each with its adapter (or none: events only).
 */
import { translate, type ExternalLineState, type ExternalLoginServers, type Locale } from '../domain/index.js';
import { externalMessages } from './messages.js';
import type { RegistrarAdapter } from './registrar-adapter.js';

/** Login server names compare case-insensitively, like the DNS names they are. */
export const normalizeLoginServer = (name: string) => name.trim().toLowerCase();

export class ConfiguredLoginServers implements ExternalLoginServers {
  private readonly adapters: ReadonlyMap<string, RegistrarAdapter | null>;

  /** `adapters`: login server → adapter, `null` for login servers that only send events. */
  constructor(
    adapters: ReadonlyMap<string, RegistrarAdapter | null>,
    private readonly locale: Locale,
  ) {
    this.adapters = new Map([...adapters].map(([k, v]) => [normalizeLoginServer(k), v]));
  }

  /** True when an adapter can be asked for this login server. */
  has(loginServer: string): boolean {
    return Boolean(this.adapters.get(normalizeLoginServer(loginServer)));
  }

  /** True when the login server is configured as external, with or without an adapter (ingest accepts it). */
  isExternal(loginServer: string): boolean {
    return this.adapters.has(normalizeLoginServer(loginServer));
  }

  names(): string[] {
    return [...this.adapters.keys()];
  }

  /** Never rejects, even if an adapter breaks its contract. */
  async query(unique: string, loginServer: string): Promise<ExternalLineState> {
    const adapter = this.adapters.get(normalizeLoginServer(loginServer));
    if (!adapter) return { ok: false, reason: 'error', message: translate(externalMessages.notConfigured, this.locale, { loginServer }) };
    try {
      return await adapter.lookup(unique);
    } catch {
      return { ok: false, reason: 'error', message: translate(externalMessages.adapterFailed, this.locale, { loginServer }) };
    }
  }
}
