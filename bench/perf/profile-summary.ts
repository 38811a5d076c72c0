/**
 * Summarises a V8 `.cpuprofile` (from `npm run bench -- --profile` or `node --cpu-prof`):
 * self time per function and per package/source file, largest first.
 *
 *   npx tsx bench/perf/profile-summary.ts <file.cpuprofile> [top=40]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const top = Number(topArg ?? 40);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// FROM=s TO=s: only samples in that window of the profile (seconds from its start; see WINDOWS=1).
const from = Number(process.env.FROM ?? 0) * 1e6;
const to = Number(process.env.TO ?? Infinity) * 1e6;
const selfMicros = new Map<number, number>();
let clock = 0;
profile.samples.forEach((id, i) => {
  clock += profile.timeDeltas[i] ?? 0;
  if (clock >= from && clock < to) selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src|dist|bench)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url === '' ? '(native/vm)' : url.replace(/^node:/, 'node:');
}

const perFunction = new Map<string, number>();
const perFile = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  const place = where(node.callFrame.url);
  const name = `${node.callFrame.functionName || '(anonymous)'}  ${place}:${node.callFrame.lineNumber + 1}`;
  perFunction.set(name, (perFunction.get(name) ?? 0) + micros);
  perFile.set(place, (perFile.get(place) ?? 0) + micros);
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (total ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
};
print('self time per file/package', perFile);
print('self time per function', perFunction);

// Optional third argument: a function name; prints the call paths (5 frames up) that spend its self time.
const focus = process.argv[4];
if (focus) {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const paths = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    if (byId.get(id)!.callFrame.functionName !== focus) continue;
    const frames: string[] = [];
    for (let p = parent.get(id); p !== undefined && frames.length < Number(process.env.DEPTH ?? 6); p = parent.get(p)) {
      const f = byId.get(p)!.callFrame;
      frames.push(`${f.functionName || '(anon)'}@${where(f.url)}:${f.lineNumber + 1}`);
    }
    const key = frames.join(' < ');
    paths.set(key, (paths.get(key) ?? 0) + micros);
  }
  print(`call paths of ${focus}`, paths);
}

// WINDOWS=1: busy share and the three largest files per second of the profile (find the load window).
if (process.env.WINDOWS) {
  let t = 0;
  const windows: Map<string, number>[] = [];
  const busy: number[] = [];
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const w = Math.floor(t / 1e6);
    const node = byId.get(id)!;
    windows[w] ??= new Map();
    busy[w] ??= 0;
    if (node.callFrame.functionName === '(idle)') return;
    const d = profile.timeDeltas[i] ?? 0;
    busy[w] += d;
    const place = where(node.callFrame.url);
    windows[w].set(place, (windows[w].get(place) ?? 0) + d);
  });
  console.log('\nsecond  busy%  top files');
  windows.forEach((m, w) => {
    const tops = [...m].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${(v / 1e4).toFixed(0)}%`).join(', ');
    console.log(`${String(w).padStart(4)}  ${((busy[w] ?? 0) / 1e4).toFixed(0).padStart(4)}  ${tops}`);
  });
}
