/**
 * `npm run fuzz [-- --count N] [--seed S] [--rate R]`: fuzz a spawned `linewatch serve`.
 * Default 10^6 datagrams; with CI=true the default is the CI size, 10^5. Exit 1 on any failure.
 */
import { fuzzSession } from './support/fuzz-session.js';

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number`);
  return v;
}

const count = flag('count') ?? (process.env.CI === 'true' ? 100_000 : 1_000_000);
const result = await fuzzSession({
  datagrams: count,
  seed: flag('seed'),
  ratePerSecond: flag('rate') ?? 4000,
  log: (line) => console.log(line),
});
console.log(JSON.stringify({ ...result, handlerErrors: result.handlerErrors.length, logTail: result.logTail.length }, null, 2));
for (const l of result.logTail) console.log(`  | ${l.slice(0, 400)}`);
for (const l of result.handlerErrors) console.log(`  ${l.slice(0, 400)}`);
if (result.failures.length > 0) {
  console.log(`FUZZ FAILED (seed ${result.seed}): ${result.failures.join('; ')}`);
  process.exitCode = 1;
} else console.log(`fuzz passed: ${result.datagrams} datagrams, ${result.tcpStreams} TCP streams in ${result.seconds.toFixed(0)} s (seed ${result.seed})`);
