/**
 * Reads `ONCALL_CONFIG`: YAML → zod, with every error naming the file line and field, e.g.
 * `oncall.yaml:12 escalation_policies[0].steps[2].minutes: expected a positive number`.
 *
 * Lines come from the YAML node ranges (`parseDocument` + `LineCounter`); for a missing field the
 * nearest enclosing node that exists gives the line.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { ZodError, ZodTypeAny } from 'zod';
import { OncallFileSchema, type OncallConfig } from './config-schema.js';
import { OncallConfigError } from './errors.js';

/** `escalation_policies[0].steps[2].minutes` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

function lineOf(doc: Document, counter: LineCounter, path: readonly (string | number)[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}

/** Zod issues as `file:line path: message` lines. */
function describeIssues(error: ZodError, where: (path: (string | number)[]) => string): string[] {
  return error.issues.map((issue) => `${where(issue.path)} ${formatPath(issue.path) || '(root)'}: ${issue.message}`);
}

/** Parses and validates YAML text; throws `OncallConfigError` with line-numbered messages. */
export function parseOncallYaml(text: string, fileName = 'oncall.yaml'): OncallConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new OncallConfigError(
      doc.errors.map((e) => `${fileName}:${counter.linePos(e.pos[0]).line} invalid YAML: ${e.message.split('\n')[0]}`),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const result = OncallFileSchema.safeParse(raw);
  if (!result.success) {
    throw new OncallConfigError(
      describeIssues(result.error, (path) => {
        const line = lineOf(doc, counter, path);
        return line === null ? `${fileName}:` : `${fileName}:${line}`;
      }),
    );
  }
  return result.data;
}

/** Reads and validates the file named by `ONCALL_CONFIG`. */
export async function loadOncallConfig(path: string): Promise<OncallConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new OncallConfigError([`ONCALL_CONFIG: cannot read ${path}`], { cause });
  }
  return parseOncallYaml(text, basename(path));
}

/** Validates an API body (JSON) against a schema; errors name the field (no lines: not YAML). */
export function parseJsonSection(schema: ZodTypeAny, body: unknown, root: string): unknown {
  const result = schema.safeParse(body);
  if (!result.success) throw new OncallConfigError(result.error.issues.map((i) => `${formatPath([root, ...i.path])}: ${i.message}`));
  return result.data;
}
