/** Shared setup for SIP integration tests: a real server on 127.0.0.1 port 0 with a recording delegate. */
import { createHash } from 'node:crypto';
import { createSipServer, type RegistrarCommit, type RegistrarEvent, type SipServer, type SipServerOptions } from '../../../src/sip/index.js';
import { SipTestClient, type ClientTransport } from '../../fakes/sip-client.js';

export const REALM = 'example.test';
export const PASSWORD = 'secret-0773';
export const KNOWN = ['0000000773', '0000000774', '0000000775'];

const ha1 = (alg: string, user: string, password: string): string =>
  createHash(alg).update(`${user}:${REALM}:${password}`).digest('hex');

/** Delegate that records every commit; `hold()` makes persist wait until `release()`. */
export class RecordingDelegate {
  readonly commits: RegistrarCommit[] = [];
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  failNext = false;

  get events(): RegistrarEvent[] {
    return this.commits.flatMap((c) => [...c.events]);
  }

  eventsOf(type: RegistrarEvent['type']): RegistrarEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  persist = async (commit: RegistrarCommit): Promise<void> => {
    this.commits.push(commit);
    if (this.gate !== null) await this.gate;
    if (this.failNext && (commit.upserts.length > 0 || commit.removals.length > 0)) {
      this.failNext = false;
      throw new Error('database down');
    }
  };
}

export interface Harness {
  readonly server: SipServer;
  readonly port: number;
  readonly delegate: RecordingDelegate;
  client(transport?: ClientTransport, opts?: { userAgent?: string; host?: string }): Promise<SipTestClient>;
  close(): Promise<void>;
}

/** Start a server with three known uniques (password {@link PASSWORD}). */
export async function startHarness(overrides: Partial<SipServerOptions> = {}): Promise<Harness> {
  const delegate = new RecordingDelegate();
  const creds = new Map(KNOWN.map((u) => [u, { ha1Md5: ha1('md5', u, PASSWORD), ha1Sha256: ha1('sha256', u, PASSWORD) }]));
  const host = overrides.host ?? '127.0.0.1';
  const server = createSipServer({
    host,
    port: 0,
    domain: REALM,
    realm: REALM,
    minExpires: 60,
    maxExpires: 3600,
    defaultExpires: 600,
    maxBindingsPerAor: 3,
    nonceSecret: 'test-secret',
    nonceLifetimeSeconds: 300,
    credentials: { lookup: (u) => creds.get(u) },
    delegate,
    ...overrides,
  });
  const { udpPort } = await server.start();
  const clients: SipTestClient[] = [];
  return {
    server,
    port: udpPort,
    delegate,
    async client(transport = 'udp', opts = {}) {
      const c = await SipTestClient.open({ transport, host: opts.host ?? host, port: udpPort, userAgent: opts.userAgent });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) await c.close();
      await server.stop();
    },
  };
}

/** Poll until `pred` holds (bounded). */
export async function eventually(pred: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
