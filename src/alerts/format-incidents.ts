/** Plain-text incident list for `linewatch alerts` (CLI). */
import { createTimeFormatter, translate, type Locale } from '../domain/index.js';
import type { Incident } from './incident.js';
import { alertMessages as m } from './messages.js';
import { AlertViewBuilder } from './alert-view-builder.js';

export function formatIncidentsText(incidents: readonly Incident[], locale: Locale, tz: string): string {
  if (incidents.length === 0) return translate(m.cliEmpty, locale);
  const time = createTimeFormatter(locale, tz);
  const views = new AlertViewBuilder({ locale, timeZone: tz });
  const lines = [translate(m.cliHeader, locale)];
  for (const i of incidents) {
    const state = translate(m[`state_${i.state}` as const], locale);
    const cause = translate(m[`cause_${i.cause}` as const], locale);
    lines.push(`#${i.id}  ${state}  ${cause}  ${views.scope(i)}${i.circle && i.unique ? ` (${i.circle})` : ''}  ×${i.count}  ${time.dateTime(i.openedAt)}`);
    const stateLine = views.stateLine(i);
    if (stateLine) lines.push(`    ${stateLine}`);
    for (const tip of i.tips) lines.push(`    - ${tip}`);
  }
  return lines.join('\n');
}
