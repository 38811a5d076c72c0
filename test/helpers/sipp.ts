/**
 * Runs SIPp (Debian package sip-tester) with a scenario from test/sipp against a registrar.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { freeDualPort, REPO_ROOT } from './spawn-linewatch.js';

export function requireSipp(): void {
  try {
    execFileSync('sipp', ['-v'], { stdio: 'ignore' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('SIPp is not installed: apt-get install -y sip-tester (npm test does this when run as root)');
  }
}

export interface SippLine {
  readonly unique: string;
  readonly domain: string;
  readonly password: string;
  readonly expires: number;
}

export interface SippResult {
  readonly exitCode: number | null;
  readonly output: string;
}

/** One call per CSV line; exit code 0 only when every call succeeded. */
export async function runSipp(options: {
  scenario: 'register' | 'register-refused' | 'register-too-brief' | 'unregister-all';
  port: number;
  transport: 'udp' | 'tcp';
  lines: readonly SippLine[];
  timeoutSeconds?: number;
}): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const csv = join(dir, 'users.csv');
  writeFileSync(
    csv,
    ['SEQUENTIAL', ...options.lines.map((l) => `${l.unique};${l.domain};[authentication username=${l.unique} password=${l.password}];${l.expires};`)].join('\n') + '\n',
  );
  const localPort = await freeDualPort();
  const args = [
    `127.0.0.1:${options.port}`,
    '-sf', join(REPO_ROOT, 'test', 'sipp', `${options.scenario}.xml`),
    '-inf', csv,
    '-m', String(options.lines.length),
    '-t', options.transport === 'udp' ? 'u1' : 't1',
    '-i', '127.0.0.1',
    '-p', String(localPort),
    '-timeout', `${options.timeoutSeconds ?? 20}s`,
    '-timeout_error',
    '-recv_timeout', '5000',
    '-nostdin',
    '-trace_err',
    '-error_file', join(dir, 'errors.log'),
  ];
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (exitCode) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ exitCode, output });
    });
  });
}
