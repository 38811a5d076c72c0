#!/usr/bin/env node
// Runs the compiled build when present (`npm run build`), otherwise the TypeScript sources via tsx,
// so that `npm ci && npm start` works on a fresh clone without a build step.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'main.js');
let main;
if (existsSync(compiled) && !process.env.LINEWATCH_FROM_SOURCE) {
  main = await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(pathToFileURL(join(root, 'src', 'main.ts')).href);
}
const code = await main.cli(process.argv.slice(2));
process.exitCode = code;
