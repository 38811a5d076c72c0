/**
 * `/circle status`: the portal's unique list — a mark per unique, type label, counts per status,
 * optional type filter, pages of 25.
 */
import type { Circle, LineStatus, UniqueType } from '../../domain/index.js';
import type { CircleRow, CircleStatusReply, DisplayField } from './chat-reply.js';
import { ReplyFormat, STATUS_MARKS } from './labels.js';
import { chatMessages as m } from './messages.js';
import { typeLabel } from './type-labels.js';

/** Rows per page: fits a Slack message and Discord's 25-field / select limits. */
export const CIRCLE_PAGE_SIZE = 25;

export interface CircleLine {
  readonly unique: string;
  readonly type: UniqueType;
  readonly status: LineStatus;
  readonly lastRegisterAt: Date | null;
}

export function pageCount(total: number, pageSize = CIRCLE_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The 1-based page clamped into range. */
export function clampPage(page: number | undefined, total: number, pageSize = CIRCLE_PAGE_SIZE): number {
  return Math.min(Math.max(1, page ?? 1), pageCount(total, pageSize));
}

function circleState(circle: Circle, f: ReplyFormat): string {
  return f.t(circle.state === 'active' ? m.circleActive : circle.state === 'cancelled' ? m.circleCancelled : m.circleOther);
}

export function buildCircleStatusReply(
  circle: Circle,
  lines: readonly CircleLine[],
  options: { readonly page: number; readonly type: UniqueType | null; readonly pageSize?: number },
  f: ReplyFormat,
): CircleStatusReply {
  const pageSize = options.pageSize ?? CIRCLE_PAGE_SIZE;
  const counts: Record<LineStatus, number> = { registered: 0, not_registered: 0, unsupported: 0, unknown: 0 };
  for (const line of lines) counts[line.status] += 1;
  const pages = pageCount(lines.length, pageSize);
  const page = clampPage(options.page, lines.length, pageSize);
  const rows: CircleRow[] = lines.slice((page - 1) * pageSize, page * pageSize).map((line) => ({
    unique: line.unique,
    type: line.type,
    typeLabel: typeLabel(line.type, f.locale),
    status: line.status,
    mark: STATUS_MARKS[line.status],
    lastRegisterAt: line.lastRegisterAt ? f.dateTime(line.lastRegisterAt) : null,
  }));
  const fields: DisplayField[] = [{ label: f.field('account'), value: circle.accountLoginId }];
  if (circle.userInfo) fields.push({ label: f.field('userInfo'), value: circle.userInfo });
  if (circle.department) fields.push({ label: f.field('department'), value: circle.department });
  if (circle.contact) fields.push({ label: f.field('contactPerson'), value: circle.contact });
  fields.push({ label: f.field('circleState'), value: circleState(circle, f) });
  if (circle.appliedOn) fields.push({ label: f.field('appliedOn'), value: circle.appliedOn });
  if (options.type) fields.push({ label: f.field('typeFilter'), value: `${typeLabel(options.type, f.locale)} (${options.type})` });
  fields.push({ label: f.field('lines'), value: String(lines.length) });
  fields.push({ label: f.field('status'), value: f.t(m.countsValue, counts) });
  if (pages > 1) fields.push({ label: f.field('page'), value: f.t(m.pageValue, { page, pageCount: pages }) });
  return {
    kind: 'circle_status',
    circle: circle.number,
    labels: f.labels(f.t(m.titleCircle, { circle: circle.number })),
    fields,
    counts,
    typeFilter: options.type,
    rows,
    page,
    pageCount: pages,
    pageSize,
  };
}
