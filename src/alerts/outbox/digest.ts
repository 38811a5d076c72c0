/**
 * Storm digest: when more than `digestThreshold` new alerts wait for one channel, they are posted
 * as ONE message listing them (newest state of each), instead of a backlog that would take minutes
 * at the channel's budget of about one message per second.
 *
 * Design:
 * - The digest is a normal `post` of an AlertView whose fields are one line per incident
 *   (`#id title`), at most `DIGEST_MAX_LINES` lines, then "N more". It has no buttons: actions on a
 *   digested incident go through `/line`, the API or the CLI.
 * - Each digested incident gets an `alert_messages` row pointing at the digest with `digest=true`.
 *   Later edits of that incident are skipped (the digest is a snapshot); its thread notes
 *   (acknowledged, recovered, escalation) are posted in the digest's thread, prefixed with
 *   `#id unique:` so the thread stays readable.
 * - Rows are leased before the digest is posted and marked delivered after it: a crash in between
 *   reposts the digest with the same idempotency key, never loses the alerts.
 */
import type { AlertField, AlertView } from '../alert-view.js';
import type { AlertViewBuilder } from '../alert-view-builder.js';
import type { Incident, Severity } from '../incident.js';
import { alertMessages as m } from '../messages.js';

export const DIGEST_MAX_LINES = 25;

const rank: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

export function buildDigestView(views: AlertViewBuilder, incidents: readonly Incident[]): AlertView {
  const first = incidents[0];
  if (!first) throw new Error('a digest needs at least one incident');
  const severity = incidents.reduce<Severity>((s, i) => (rank[i.severity] > rank[s] ? i.severity : s), 'info');
  const fields: AlertField[] = incidents.slice(0, DIGEST_MAX_LINES).map((i) => ({ label: `#${i.id}`, value: views.title(i) }));
  if (incidents.length > DIGEST_MAX_LINES) fields.push({ label: '…', value: views.t(m.digestMore, { count: incidents.length - DIGEST_MAX_LINES }) });
  return {
    incidentId: first.id,
    cause: first.cause,
    severity,
    state: 'open',
    title: views.t(m.digestTitle, { count: incidents.length }),
    summary: views.t(m.digestSummary),
    fields,
    tips: [],
    stateLine: null,
    actions: [],
    mentions: [],
    labels: views.labels(),
  };
}
