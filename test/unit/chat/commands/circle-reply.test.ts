import { describe, expect, it } from 'vitest';
import { buildCircleStatusReply, type CircleLine } from '../../../../src/chat/commands/circle-reply.js';
import { ReplyFormat } from '../../../../src/chat/commands/labels.js';
import { displayWidth, renderText } from '../../../../src/chat/commands/render-text.js';
import type { Circle } from '../../../../src/domain/index.js';

const circle: Circle = {
  number: '123456789', accountLoginId: 'acme', userInfo: null, department: null, contact: null, appliedOn: null, state: 'cancelled',
  createdAt: new Date('2026-01-01T00:00:00Z'),
};
const lines: CircleLine[] = Array.from({ length: 60 }, (_, i) => ({
  unique: `00000010${String(i).padStart(2, '0')}`,
  type: i % 2 === 0 ? 'sip_terminal' : 'sip_trunk2_ip_auth',
  status: i % 2 === 0 ? 'registered' : 'unsupported',
  lastRegisterAt: null,
}));
const f = (locale: 'ja' | 'en') => new ReplyFormat(locale, 'Asia/Tokyo', new Date('2026-11-26T08:40:00Z'));

describe('buildCircleStatusReply', () => {
  it('pages 25 rows at a time and counts every row', () => {
    const reply = buildCircleStatusReply(circle, lines, { page: 3, type: null }, f('en'));
    expect(reply.pageCount).toBe(3);
    expect(reply.page).toBe(3);
    expect(reply.rows.map((r) => r.unique)).toEqual(lines.slice(50).map((l) => l.unique));
    expect(reply.counts).toEqual({ registered: 30, not_registered: 0, unsupported: 30, unknown: 0 });
    expect(reply.fields.find((x) => x.label === 'Page')?.value).toBe('3 of 3');
    expect(reply.fields.find((x) => x.label === 'State')?.value).toBe('Cancelled');
  });

  it('clamps an out-of-range page and shows an empty circle', () => {
    expect(buildCircleStatusReply(circle, lines, { page: 99, type: null }, f('en')).page).toBe(3);
    const empty = buildCircleStatusReply(circle, [], { page: 1, type: 'ivr' }, f('ja'));
    expect(empty.rows).toEqual([]);
    expect(empty.pageCount).toBe(1);
    expect(empty.fields.find((x) => x.label === '種別で絞り込み')?.value).toBe('IVR (ivr)');
    expect(empty.fields.find((x) => x.label === '状態')?.value).toBe('解約済');
  });

  it('renders aligned columns with wide Japanese labels', () => {
    const text = renderText(buildCircleStatusReply(circle, lines.slice(0, 2), { page: 1, type: null }, f('ja')));
    const rows = text.split('\n').filter((l) => l.includes('00000010'));
    expect(rows).toHaveLength(2);
    // The status column starts at the same terminal column in every row.
    const col = (row: string, cell: string) => displayWidth(row.slice(0, row.indexOf(cell)));
    expect(col(rows[0]!, 'レジスト中')).toBe(col(rows[1]!, '状態表示対象外'));
    expect(rows[1]).toContain('SIPトランク2(IP認証)');
  });
});

describe('displayWidth', () => {
  it('counts wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('SIP端末')).toBe(7);
    expect(displayWidth('－')).toBe(2);
  });
});
