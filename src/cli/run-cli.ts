/**
 * The `linewatch` command line. Query commands read the database directly; on the embedded
 * database (one process at a time) they use the running server's API instead when `serve` holds
 * the data directory (API_TOKEN needed), or always with `--url`.
 */
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Linewatch, Store } from '../main.js';
import { COMMANDS, type CliCommand, type CliIo } from './commands.js';

export interface CliDeps {
  loadConfig(): Config;
  createLogger(level: string, destination?: NodeJS.WritableStream): Logger;
  startLinewatch(config: Config, logger: Logger): Promise<Linewatch>;
  openStore(config: Config, options: { logger: Logger }): Promise<Store>;
}

const USAGE = `linewatch — line registration status for cloud-PBX support teams

Usage: linewatch <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.usage.padEnd(42)} ${c.summary}`).join('\n')}

Every command takes --help. Configuration comes from the environment (see README).`;

export async function runCli(argv: readonly string[], deps: CliDeps, io: CliIo = defaultIo): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  const command = findCommand(words);
  if (!command) {
    io.err(`unknown command: ${argv.join(' ')}\n\n${USAGE}`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\nUsage: linewatch ${command.usage}`);
    return 1;
  }
  if (parsed.values.help) {
    io.out(`Usage: linewatch ${command.usage}\n\n${command.summary}\n${command.help ?? ''}`);
    return 0;
  }
  const positionals = parsed.positionals.slice(command.path.length);
  if (positionals.length < command.arity) {
    io.err(`missing argument\nUsage: linewatch ${command.usage}`);
    return 1;
  }
  return command.run({ positionals, values: parsed.values as Record<string, string | boolean | undefined>, deps, io });
}

function findCommand(words: readonly string[]): CliCommand | undefined {
  return [...COMMANDS]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((p, i) => words[i] === p));
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};
