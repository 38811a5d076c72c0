/**
 * A TCP proxy a test can cut: forwards every connection to a target (PostgreSQL in the outage
 * test). `cut()` destroys every open connection and, until `restore()`, accepts new ones only to
 * reset them at once — the listening port stays ours, so `restore()` cannot lose it to a
 * neighbour and the client sees "connection reset", exactly what a dead database host gives.
 * `blackhole()` closes every open connection too, but then accepts new ones and never answers
 * (a firewall dropping packets, a hung host): the client waits; `restore()` resets those.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Connections forwarded so far. */
  readonly forwarded: number;
  /** Connections refused while cut. */
  readonly refused: number;
  readonly isCut: boolean;
  cut(): void;
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, listenHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let isCut = false;
  let holding = false;
  const held = new Set<Socket>();
  let forwarded = 0;
  let refused = 0;
  const server: Server = createServer((client) => {
    client.on('error', () => {});
    if (isCut) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    if (holding) {
      refused++;
      held.add(client);
      client.on('close', () => held.delete(client));
      return;
    }
    forwarded++;
    const upstream = connect(target);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    open.add(client);
    open.add(upstream);
    const forget = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get forwarded() {
      return forwarded;
    },
    get refused() {
      return refused;
    },
    get isCut() {
      return isCut;
    },
    cut() {
      isCut = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    blackhole() {
      holding = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      isCut = false;
      holding = false;
      for (const s of held) s.resetAndDestroy();
      held.clear();
    },
    async close() {
      for (const s of [...open, ...held]) s.destroy();
      open.clear();
      held.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
