/**
 * Plain-text rendering of chat replies for the CLI and for logs: readable in a terminal, labels
 * aligned, the circle list as columns. Pure; all text is already localized in the view model.
 */
import type { ChatReply, DisplayField, HistoryEntry, ReplyLabels } from './chat-reply.js';

/** Terminal columns of one code point: East Asian wide and full-width characters take two. */
function charWidth(cp: number): number {
  if (cp < 0x1100) return 1;
  if (
    cp <= 0x115f ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function fieldLines(fields: readonly DisplayField[], indent = '  '): string[] {
  const width = Math.max(0, ...fields.map((f) => displayWidth(f.label)));
  return fields.map((f) => `${indent}${pad(f.label, width)}  ${f.value}`);
}

function historyLines(entries: readonly HistoryEntry[]): string[] {
  const width = Math.max(0, ...entries.map((e) => displayWidth(e.text)));
  return entries.map((e) => `  ${e.at}  ${e.mark} ${pad(e.text, width)}  ${e.details}`.trimEnd());
}

function tipLines(tips: readonly string[]): string[] {
  return tips.map((t) => `  - ${t}`);
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', title, ...lines];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map(line)];
}

function title(labels: ReplyLabels): string {
  return `== ${labels.title} ==`;
}

export function renderText(reply: ChatReply): string {
  const out: string[] = [];
  switch (reply.kind) {
    case 'line_status': {
      const f = reply.labels.fields;
      out.push(title(reply.labels), reply.headline, ...fieldLines(reply.fields));
      out.push(...section(f.bindings ?? 'Bindings', reply.bindings.flatMap((b, i) => [...(i > 0 ? [''] : []), ...fieldLines(b)])));
      if (reply.lastError) out.push(...section(f.lastError ?? 'Latest error', fieldLines(reply.lastError)));
      out.push(...section(f.tips ?? 'Tips', tipLines(reply.document.tips)));
      out.push(...section(f.openIncidents ?? 'Open incidents', reply.openIncidents.map((i) => `  #${i.id} ${i.title}`)));
      break;
    }
    case 'line_history': {
      const f = reply.labels.fields;
      out.push(title(reply.labels));
      out.push(...section(f.events ?? 'Events', historyLines(reply.entries)));
      out.push(...section(f.audit ?? 'Incident log', historyLines(reply.audit)));
      if (reply.retentionNote) out.push('', reply.retentionNote);
      break;
    }
    case 'line_why':
      out.push(title(reply.labels), reply.headline, ...fieldLines(reply.fields));
      out.push(...section(reply.labels.fields.tips ?? 'Tips', tipLines(reply.tips)));
      break;
    case 'circle_status': {
      const f = reply.labels.fields;
      out.push(title(reply.labels), ...fieldLines(reply.fields), '');
      out.push(
        ...table(
          [' ', f.unique ?? 'Unique', f.type ?? 'Type', f.status ?? 'Status', f.lastRegister ?? 'Last REGISTER'],
          reply.rows.map((r) => [r.mark, r.unique, r.typeLabel, reply.labels.status[r.status], r.lastRegisterAt ?? '-']),
        ),
      );
      break;
    }
    case 'oncall':
      out.push(title(reply.labels), reply.headline);
      for (const s of reply.sections) out.push(...section(s.title, s.lines.map((l) => `  ${l}`)));
      break;
    case 'help': {
      out.push(title(reply.labels));
      const width = Math.max(0, ...reply.lines.map((l) => displayWidth(l.usage)));
      for (const l of reply.lines) out.push(l.usage === '' ? `  ${l.description}` : `  ${pad(l.usage, width)}  ${l.description}`);
      break;
    }
    case 'error':
      out.push(`✕ ${reply.message} [${reply.code}]`);
      break;
    case 'action': {
      const a = reply.alert;
      out.push(reply.confirmation, '', a.title, a.summary, ...fieldLines(a.fields));
      if (a.stateLine) out.push(a.stateLine);
      out.push(...section(a.labels.tips, tipLines(a.tips)));
      break;
    }
    default: {
      const never: never = reply;
      throw new Error(`unhandled reply ${JSON.stringify(never)}`);
    }
  }
  return out.join('\n');
}
