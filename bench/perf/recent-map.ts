/**
 * Cost per insert of a size-bounded map held at its cap: a Map that deletes `keys().next()` on every
 * insert (the nonce-count cache, the abuse maps and the engine's line LRU before PERF-NOTES.md #25)
 * against RecentMap (two generations). Prints µs per insert for successive rounds of 20,000
 * inserts after filling 200,000 entries: the first grows with every round, the second does not.
 * Usage: npx tsx bench/perf/recent-map.ts [capacity=200000] [rounds=8]
 */
import { RecentMap } from '../../src/collections/index.js';

const CAPACITY = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 8);
const PER_ROUND = 20_000;

function run(name: string, insert: (key: string) => void): void {
  let i = 0;
  for (; i < CAPACITY; i++) insert(`nonce-${i}`);
  const rounds: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let k = 0; k < PER_ROUND; k++, i++) insert(`nonce-${i}`);
    rounds.push((((performance.now() - t0) / PER_ROUND) * 1000).toFixed(2));
  }
  console.log(`${name}: µs per insert by round: ${rounds.join(' ')}`);
}

const evicting = new Map<string, number>();
run('Map, evicting keys().next()', (key) => {
  evicting.set(key, 1);
  if (evicting.size > CAPACITY) {
    const oldest = evicting.keys().next();
    if (oldest.done !== true) evicting.delete(oldest.value);
  }
});
const recent = new RecentMap<string, number>(CAPACITY);
run('RecentMap', (key) => recent.set(key, 1));
