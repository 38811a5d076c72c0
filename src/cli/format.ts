/**
 * Plain-text output of CLI query commands, in LOCALE with times in DISPLAY_TZ.
 */
import type { Config } from '../config.js';
import { createTimeFormatter, translatorFor, type StatusDocument } from '../domain/index.js';
import { cliMessages as m } from './messages.js';

const MARK: Record<StatusDocument['status'], string> = { registered: '●', not_registered: '×', unsupported: '－', unknown: '?' };

export function formatStatusText(doc: StatusDocument, config: Pick<Config, 'locale' | 'displayTimeZone'>): string {
  const t = translatorFor(config.locale);
  const time = createTimeFormatter(config.locale, config.displayTimeZone);
  const lines = [
    `${MARK[doc.status]} ${t(m.unique)} ${doc.unique}: ${t(m[doc.status])}`,
    `  ${t(m.circle)}: ${doc.circle}   ${t(m.type)}: ${doc.type}   ${t(m.loginServer)}: ${doc.loginServer}`,
    `  ${t(m.lastRegister)}: ${doc.lastRegisterAt ? time.dateTime(new Date(doc.lastRegisterAt)) : t(m.never)}`,
  ];
  for (const b of doc.bindings) {
    lines.push(`  ${t(m.binding)}: ${b.contact} (${b.transport} ${b.source}${b.userAgent ? `, ${b.userAgent}` : ''}) ${t(m.expires)} ${time.dateTime(new Date(b.expiresAt))}`);
  }
  if (doc.lastError) {
    lines.push(`  ${t(m.lastError)}: ${time.dateTime(new Date(doc.lastError.at))} ${doc.lastError.message} [${doc.lastError.method} ${doc.lastError.source}${doc.lastError.userAgent ? ` ${doc.lastError.userAgent}` : ''}]`);
  }
  if (doc.tips.length) {
    lines.push(`  ${t(m.tips)}:`);
    for (const tip of doc.tips) lines.push(`   - ${tip}`);
  }
  return lines.join('\n');
}

export interface EventLine {
  readonly at: string;
  readonly type: string;
  readonly method: string;
  readonly source: string;
  readonly userAgent: string | null;
  readonly responseCode: number | null;
  readonly grantedExpires: number | null;
}

export function formatHistoryText(unique: string, events: readonly EventLine[], config: Pick<Config, 'locale' | 'displayTimeZone'>): string {
  const t = translatorFor(config.locale);
  const time = createTimeFormatter(config.locale, config.displayTimeZone);
  if (events.length === 0) return `${unique}: ${t(m.noEvents)}`;
  return [
    `${t(m.unique)} ${unique}`,
    ...events.map(
      (e) =>
        `  ${time.dateTime(new Date(e.at))}  ${e.type.padEnd(18)} ${e.method.padEnd(8)} ${String(e.responseCode ?? '').padEnd(3)} ${e.source}${e.grantedExpires ? ` expires=${e.grantedExpires}` : ''}${e.userAgent ? `  ${e.userAgent}` : ''}`,
    ),
  ].join('\n');
}

export interface CircleText {
  readonly number: string;
  readonly account: string;
  readonly state: string;
  readonly uniques: readonly StatusDocument[];
}

export function formatCircleText(circle: CircleText, config: Pick<Config, 'locale' | 'displayTimeZone'>): string {
  const t = translatorFor(config.locale);
  const time = createTimeFormatter(config.locale, config.displayTimeZone);
  const counts = { registered: 0, not_registered: 0, unsupported: 0, unknown: 0 };
  for (const d of circle.uniques) counts[d.status]++;
  return [
    `${t(m.circle)} ${circle.number} (${circle.account}, ${circle.state})`,
    `  ${t(m.counts)}: ● ${counts.registered}  × ${counts.not_registered}  － ${counts.unsupported}  ? ${counts.unknown}`,
    ...circle.uniques.map(
      (d) => `  ${MARK[d.status]} ${d.unique}  ${d.type.padEnd(22)} ${d.lastRegisterAt ? time.dateTime(new Date(d.lastRegisterAt)) : t(m.never)}`,
    ),
  ].join('\n');
}
