import type { UniqueCredentials, UniqueRepo } from '../domain/index.js';

/**
 * HA1 values of every unique, in memory: the registrar looks them up synchronously on the hot path
 * (bench-facts.md: credentials in PostgreSQL halve Kamailio's rate). Loaded at startup and updated
 * by provisioning in the same process; structurally the SIP layer's `CredentialLookup`.
 * 100,000 uniques take about 25 MB (measured by bench/memory).
 */
export class CredentialCache {
  private readonly byUnique = new Map<string, { readonly ha1Md5: string; readonly ha1Sha256: string }>();

  constructor(private readonly realm: string) {}

  async load(repo: UniqueRepo): Promise<number> {
    const all = await repo.allCredentials();
    for (const c of all) this.set(c);
    return this.byUnique.size;
  }

  /** Values derived for another realm cannot verify: such uniques need their password set again. */
  set(credentials: UniqueCredentials): void {
    if (credentials.realm !== this.realm) {
      this.byUnique.delete(credentials.number);
      return;
    }
    this.byUnique.set(credentials.number, { ha1Md5: credentials.ha1Md5, ha1Sha256: credentials.ha1Sha256 });
  }

  lookup(unique: string): { readonly ha1Md5: string; readonly ha1Sha256: string } | undefined {
    return this.byUnique.get(unique);
  }

  get size(): number {
    return this.byUnique.size;
  }
}
