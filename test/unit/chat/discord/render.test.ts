import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../../src/domain/index.js';
import { renderAlert, renderNote, renderReply, DISCORD_LIMITS, type DiscordMessage } from '../../../../src/chat/discord/index.js';
import type { ChatReply } from '../../../../src/chat/commands/index.js';
import { alertView, circleReply, labels, lineStatusReply } from './fixtures.js';

function embedTotal(message: DiscordMessage): number {
  return message.embeds.reduce(
    (n, e) => n + (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text ?? '').length + (e.fields ?? []).reduce((k, f) => k + f.name.length + f.value.length, 0),
    0,
  );
}

function assertWithinLimits(message: DiscordMessage): void {
  expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  expect(embedTotal(message)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  for (const e of message.embeds) {
    expect((e.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect((e.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(f.value.trim()).not.toBe('');
    }
  }
  expect(message.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.actionRows);
  for (const row of message.components) expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rowComponents);
  expect((message.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
}

describe.each(LOCALES)('Discord renderers (%s)', (locale) => {
  const replies = (): ChatReply[] => [
    lineStatusReply(locale),
    circleReply(locale, 2),
    {
      kind: 'line_history',
      unique: '0000000773',
      labels: labels(locale, locale === 'ja' ? '履歴 0000000773' : 'History 0000000773'),
      entries: [{ at: '2026/11/26 17:00:00 JST', type: 'auth_failed', text: locale === 'ja' ? '認証失敗' : 'Authentication failed', mark: '×', details: '203.0.113.7:5062' }],
      audit: [{ at: '2026/11/26 17:02:00 JST', type: 'acknowledged', text: locale === 'ja' ? '佐藤が対応開始' : 'Acknowledged by Sato', mark: '✓', details: '' }],
      retentionNote: locale === 'ja' ? '更新（refresh）は 7 日、その他のイベントは 90 日保存されます（種類ごとの最新のものは常に残ります）。' : 'Refreshes are kept 7 days and other events 90 days (the newest of each kind always stays).',
    },
    { kind: 'line_why', unique: '0000000773', labels: labels(locale, 'why'), headline: 'h', fields: [{ label: 'a', value: 'b' }], tips: ['t1', 't2'] },
    { kind: 'oncall', labels: labels(locale, 'oncall'), headline: locale === 'ja' ? '現在の当番: 佐藤' : 'On call now: Sato', sections: [{ title: 'policy', lines: ['1. Sato', '2. NOC'] }, { title: 'empty', lines: [] }] },
    { kind: 'help', labels: labels(locale, 'help'), lines: [{ usage: '/line status <unique>', description: locale === 'ja' ? '状態' : 'Status' }] },
    { kind: 'error', code: 'CHAT_ERR_UNIQUE_NOT_FOUND', message: locale === 'ja' ? 'ユニーク 123 はありません' : 'No unique 123' },
  ];

  it('renders every reply kind (snapshot) within Discord limits', () => {
    for (const reply of replies()) {
      const message = renderReply(reply, { locale, postId: reply.kind === 'error' ? null : 'post:line.status:0000000773' });
      assertWithinLimits(message);
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expect(message).toMatchSnapshot(reply.kind);
    }
  });

  it('marks the line status and colours it per state', () => {
    const message = renderReply(lineStatusReply(locale), { locale, postId: 'post:line.status:0000000773' });
    expect(message.embeds[0]!.title).toMatch(/^× /);
    expect(message.embeds[0]!.color).toBe(0xe01e5a);
    const button = message.components[0]!.components[0] as { custom_id: string; label: string };
    expect(button.custom_id).toBe('post:line.status:0000000773');
    expect(button.label).toBe(locale === 'ja' ? 'チャンネルに投稿' : 'Post to channel');
    const registered = lineStatusReply(locale);
    const green = renderReply({ ...registered, document: { ...registered.document, status: 'registered' } }, { locale, postId: null });
    expect(green.embeds[0]!.title).toMatch(/^● /);
    expect(green.components).toEqual([]);
  });

  it('paginates circles with previous/next buttons', () => {
    const first = renderReply(circleReply(locale, 1), { locale, postId: null });
    const [prev, next] = first.components[0]!.components as { custom_id: string; disabled: boolean }[];
    expect(prev).toMatchObject({ custom_id: 'circle:page:123456789:*:0', disabled: true });
    expect(next).toMatchObject({ custom_id: 'circle:page:123456789:*:2', disabled: false });
    const last = renderReply(circleReply(locale, 3), { locale, postId: null });
    expect((last.components[0]!.components[1] as { disabled: boolean }).disabled).toBe(true);
    expect(first.embeds[0]!.description!.split('\n')).toHaveLength(25);
    expect(first.embeds[0]!.footer!.text).toBe(locale === 'ja' ? '1 / 3 ページ' : 'Page 1 of 3');
  });

  it('renders alerts with mentions in content and exactly those allowed', () => {
    const message = renderAlert(alertView(locale));
    expect(message.content).toBe('<@1200000000000000100> <@&1200000000000000500> @Tanaka');
    expect(message.allowed_mentions).toEqual({ parse: [], users: ['1200000000000000100'], roles: ['1200000000000000500'] });
    expect(JSON.stringify(message.embeds)).toContain('@everyone'); // shown, but parse: [] keeps it silent
    const ids = message.components.flatMap((r) => r.components.map((c) => (c as { custom_id: string }).custom_id));
    expect(ids).toEqual(['alert:ack:42', 'alert:resolve:42', 'alert:history:42', 'alert:snooze:42']);
    const select = message.components[1]!.components[0] as { options: { value: string }[] };
    expect(select.options.map((o) => o.value)).toEqual(['30', '60', '240', '1440']);
    assertWithinLimits(message);
    expect(message).toMatchSnapshot('alert-open');
    const resolved = renderAlert(alertView(locale, 'resolved'));
    expect(resolved.embeds[0]!.color).toBe(0x2eb67d);
    expect(resolved.components).toHaveLength(1);
    expect(resolved).toMatchSnapshot('alert-resolved');
  });

  it('renders notes with mentions first', () => {
    const note = renderNote({ incidentId: 42, text: 'x'.repeat(3000), mentions: [{ name: 'Sato', discordUserId: '1200000000000000100' }] });
    expect(note.content!.startsWith('<@1200000000000000100> xxx')).toBe(true);
    expect(note.content!.length).toBe(2000);
    expect(note.allowed_mentions).toEqual({ parse: [], users: ['1200000000000000100'], roles: [] });
  });
});

describe('limits', () => {
  it('truncates oversized replies instead of failing', () => {
    const long = 'あ'.repeat(5000);
    const reply: ChatReply = {
      kind: 'oncall',
      labels: labels('ja', long),
      headline: long,
      sections: Array.from({ length: 40 }, (_, i) => ({ title: `s${i}`, lines: [long] })),
    };
    const message = renderReply(reply, { locale: 'ja', postId: null });
    assertWithinLimits(message);
    expect(message.embeds[0]!.title!.endsWith('…')).toBe(true);
  });

  it('never puts an invalid mention id in content', () => {
    const message = renderAlert({ ...alertView('en'), mentions: [{ name: 'x', discordUserId: 'everyone' }, { name: 'y', discordRoleId: '1>' }] });
    expect(message.content).toBe('@x @y');
    expect(message.allowed_mentions).toEqual({ parse: [], users: [], roles: [] });
  });
});
