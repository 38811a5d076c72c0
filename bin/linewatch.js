#!/usr/bin/env node
// Runs the compiled build (dist/, made by `npm ci` through the `prepare` script, or `npm run build`)
// unless a source file is newer than it; then the TypeScript sources run through tsx, so an edit
// never runs stale code. The compiled build starts in ~3 s at ~85 MB less RSS than tsx (README).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'main.js');

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function useCompiled() {
  if (process.env.LINEWATCH_FROM_SOURCE || !existsSync(compiled)) return false;
  const sources = join(root, 'src');
  return !existsSync(sources) || newestSourceMtime(sources) <= statSync(compiled).mtimeMs;
}

let main;
if (useCompiled()) {
  main = await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(pathToFileURL(join(root, 'src', 'main.ts')).href);
}
process.exitCode = await main.cli(process.argv.slice(2));
