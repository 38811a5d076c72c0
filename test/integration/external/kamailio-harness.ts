/**
 * Runs the project's example Kamailio (examples/kamailio/kamailio.cfg) on 127.0.0.1 with free ports,
 * and registers SIPp clients to it. Kamailio and SIPp are Debian packages (`kamailio`, `sip-tester`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const KAMAILIO_CFG = resolve('examples/kamailio/kamailio.cfg');
export const SIPP_REGISTER = resolve('test/integration/external/sipp-register.xml');

/** Fails with the install command when a binary is missing (CI installs it; never skip silently). */
export function requireBinary(binary: 'kamailio' | 'sipp', versionArg: string): void {
  const found = spawnSync(binary, [versionArg], { encoding: 'utf8' });
  if (found.error) {
    const pkg = binary === 'kamailio' ? 'kamailio' : 'sip-tester';
    throw new Error(
      `${binary} is not installed: this test runs a real ${binary}. Install it with ` +
        `'apt-get update && apt-get install -y ${pkg}' (Debian package ${pkg}); CI (.ci/run) must install it too.`,
    );
  }
}

/** A port that was free a moment ago on 127.0.0.1 (TCP or UDP). */
export async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'tcp') {
    const server = createServer();
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((ok) => server.close(() => ok()));
    return port;
  }
  const socket = createSocket('udp4');
  await new Promise<void>((ok, fail) => socket.once('error', fail).bind(0, '127.0.0.1', ok));
  const port = socket.address().port;
  await new Promise<void>((ok) => socket.close(() => ok()));
  return port;
}

export interface RunningKamailio {
  readonly sipPort: number;
  readonly httpPort: number;
  readonly rpcUrl: string;
  /** Everything Kamailio wrote to stderr (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts Kamailio and waits until its JSON-RPC endpoint answers. */
export async function startKamailio(opts: { rpcToken?: string } = {}): Promise<RunningKamailio> {
  requireBinary('kamailio', '-v');
  const [sipPort, httpPort] = [await freePort('udp'), await freePort('tcp')];
  const runDir = mkdtempSync(join(tmpdir(), 'lw-kamailio-'));
  const args = [
    '-f', KAMAILIO_CFG, '-DD', '-E', '-n', '1', '-m', '32', '-M', '8',
    '-Y', runDir, '-w', runDir,
    '-l', `udp:127.0.0.1:${sipPort}`, '-l', `tcp:127.0.0.1:${httpPort}`,
    ...(opts.rpcToken ? ['-A', `RPC_TOKEN="${opts.rpcToken}"`] : []),
  ];
  const child: ChildProcess = spawn('kamailio', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 200_000) output += chunk.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const rpcUrl = `http://127.0.0.1:${httpPort}/RPC`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(runDir, { recursive: true, force: true });
  };
  // Bounded wait: 50 × 100 ms for the RPC endpoint.
  for (let attempt = 0; attempt < 50; attempt++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', method: 'core.version', id: 1 }),
        headers: opts.rpcToken ? { authorization: `Bearer ${opts.rpcToken}` } : {},
        signal: AbortSignal.timeout(500),
      });
      await res.text();
      if (res.ok) return { sipPort, httpPort, rpcUrl, log: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`kamailio did not start (args: ${args.join(' ')}):\n${output.slice(-4000)}`);
}

export interface SippResult {
  readonly code: number | null;
  readonly output: string;
}

/** One SIPp REGISTER (Expires = `expires`) from 127.0.0.1:`localPort`; resolves when SIPp exits. */
export async function sippRegister(opts: { kamailio: RunningKamailio; unique: string; domain: string; expires: number; localPort: number; cseq: number }): Promise<SippResult> {
  requireBinary('sipp', '-v');
  const workDir = mkdtempSync(join(tmpdir(), 'lw-sipp-'));
  const args = [
    `127.0.0.1:${opts.kamailio.sipPort}`, '-sf', SIPP_REGISTER, '-m', '1', '-i', '127.0.0.1', '-p', String(opts.localPort),
    '-key', 'unique', opts.unique, '-key', 'domain', opts.domain, '-key', 'expires', String(opts.expires),
    '-base_cseq', String(opts.cseq), '-cid_str', `linewatch-reg-${opts.unique}-%u-%p@%s`, '-timeout', '10s', '-timeout_error', '-nostdin', '-trace_err',
  ];
  const child = spawn('sipp', args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => void (output.length < 100_000 && (output += c.toString('utf8'))));
  child.stderr.on('data', (c: Buffer) => void (output.length < 100_000 && (output += c.toString('utf8'))));
  const code = await new Promise<number | null>((ok) => child.once('exit', (c) => ok(c)));
  rmSync(workDir, { recursive: true, force: true });
  return { code, output };
}
