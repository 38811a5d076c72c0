/**
 * Every error code used in src/ is documented in docs/errors.md (fastify's rule for its errors).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const CODE = /\b(?:SIP|DOMAIN|STORE|ALERT|CHAT|HTTP|ONCALL|EXTERNAL|CLI)_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*(?![A-Za-z0-9_*])/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  it('documents every error code the code base uses', () => {
    const used = new Set<string>();
    for (const file of sources(join(root, 'src'))) for (const m of readFileSync(file, 'utf8').matchAll(CODE)) used.add(m[0]);
    const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
    const missing = [...used].filter((code) => !doc.includes(`\`${code}\``)).sort();
    expect(used.size).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
