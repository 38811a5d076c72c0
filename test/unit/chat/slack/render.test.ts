import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../../src/domain/index.js';
import { BLOCK_LIMITS, type Block } from '../../../../src/chat/slack/block-kit.js';
import { renderAlert, renderAlertNote } from '../../../../src/chat/slack/render-alert.js';
import { renderReply } from '../../../../src/chat/slack/render.js';
import { encodeSharedCommand } from '../../../../src/chat/slack/action-ids.js';
import {
  actionReply,
  alertView,
  circleStatusReply,
  errorReply,
  helpReply,
  lineHistoryReply,
  lineStatusReply,
  lineWhyReply,
  oncallReply,
} from './sample-replies.js';

/** Checks every Block Kit limit we rely on, so a snapshot can never bless an invalid message. */
function expectWithinLimits(blocks: readonly Block[]): void {
  expect(blocks.length).toBeLessThanOrEqual(BLOCK_LIMITS.blocksPerMessage);
  for (const b of blocks) {
    if (b.type === 'section') {
      if (b.text) expect(Array.from(b.text.text).length).toBeLessThanOrEqual(BLOCK_LIMITS.sectionText);
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(BLOCK_LIMITS.fieldsPerSection);
        for (const f of b.fields) expect(Array.from(f.text).length).toBeLessThanOrEqual(BLOCK_LIMITS.fieldText);
      }
    }
    if (b.type === 'header') expect(Array.from(b.text.text).length).toBeLessThanOrEqual(BLOCK_LIMITS.headerText);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(BLOCK_LIMITS.contextElements);
  }
}

describe.each(LOCALES)('Slack renderers (%s)', (locale) => {
  const share = encodeSharedCommand({ command: '/line', text: 'status 0000000773' });
  const replies = {
    line_status_not_registered: lineStatusReply(locale),
    line_status_registered: lineStatusReply(locale, 'registered'),
    line_history: lineHistoryReply(locale),
    line_why: lineWhyReply(locale),
    circle_status: circleStatusReply(locale, 8, 2, 3),
    oncall: oncallReply(locale),
    help: helpReply(locale),
    error: errorReply(locale),
  };

  for (const [name, reply] of Object.entries(replies)) {
    it(`renders ${name}`, () => {
      const message = renderReply(reply, { locale, shareValue: share });
      expectWithinLimits(message.blocks);
      expect(message).toMatchSnapshot();
    });
  }

  it('renders the alert with mentions in the text, the buttons and the snooze choices', () => {
    const message = renderAlert(alertView(locale), locale);
    expectWithinLimits(message.blocks);
    expect(message.text.startsWith('<@U0SATO> <!subteam^S0SUPPORT> ')).toBe(true);
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions && actions.type === 'actions' && actions.elements.map((e) => ('action_id' in e ? e.action_id : null))).toEqual([
      'alert_ack',
      'alert_resolve',
      'alert_snooze',
      'alert_history',
    ]);
    expect(message).toMatchSnapshot();
  });

  it('renders an action reply with who pressed, and no share button on errors', () => {
    const message = renderReply(actionReply(locale), { locale, actorUserId: 'U0SATO' });
    expect(JSON.stringify(message.blocks)).toContain('<@U0SATO>');
    expect(message).toMatchSnapshot();
    expect(JSON.stringify(renderReply(errorReply(locale), { locale, shareValue: null }).blocks)).not.toContain('post_to_channel');
  });

  it('renders a thread note with its mentions first', () => {
    expect(renderAlertNote({ incidentId: 42, text: locale === 'ja' ? '復旧しました <確認済>' : 'Recovered <ok>', mentions: [{ name: 'Sato', slackUserId: 'U0SATO' }] })).toMatchSnapshot();
  });

  it('shows a shared answer without the share button but with who shared it', () => {
    const message = renderReply(lineStatusReply(locale), { locale, shareValue: share, sharedBy: 'U0SATO' });
    expect(JSON.stringify(message.blocks)).not.toContain('post_to_channel');
    expect(JSON.stringify(message.blocks)).toContain('<@U0SATO>');
  });
});

describe('Slack renderers stay within Block Kit limits', () => {
  it('truncates a 5,000-row circle to sections of at most 3000 characters and says how many are left', () => {
    const message = renderReply(circleStatusReply('ja', 5000), { locale: 'ja', shareValue: 'x' });
    expectWithinLimits(message.blocks);
    const text = JSON.stringify(message.blocks);
    expect(text).toMatch(/…ほか \d+ 件/);
    expect(message.blocks[message.blocks.length - 1]?.type).toBe('actions');
  });

  it('truncates 500 history entries, 30 alert fields, long tips and a long title', () => {
    const history = lineHistoryReply('en');
    const many = { ...history, entries: Array.from({ length: 500 }, (_, i) => ({ ...history.entries[0]!, details: `detail ${i} `.repeat(20) })) };
    const message = renderReply(many, { locale: 'en' });
    expectWithinLimits(message.blocks);
    expect(JSON.stringify(message.blocks)).toMatch(/…and \d+ more/);
    const alert = alertView('en', {
      title: 'x'.repeat(400),
      fields: Array.from({ length: 30 }, (_, i) => ({ label: `f${i}`, value: 'v'.repeat(2500) })),
      tips: Array.from({ length: 40 }, () => 't'.repeat(400)),
    });
    const rendered = renderAlert(alert, 'en');
    expectWithinLimits(rendered.blocks);
    expect(rendered.blocks[rendered.blocks.length - 1]?.type).toBe('actions');
    expect(JSON.stringify(rendered.blocks)).toContain('…and 11 more');
  });

  it('escapes &, < and > in user-supplied text so it cannot forge mentions or links', () => {
    const reply = { ...lineStatusReply('en'), headline: '<!channel> & <@U1>' };
    const text = JSON.stringify(renderReply(reply, { locale: 'en' }).blocks);
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U1&gt;');
    expect(text).not.toContain('<!channel>');
  });

  it('shows Previous only after page 1 and Next only before the last page', () => {
    const ids = (page: number) => {
      const blocks = renderReply(circleStatusReply('en', 4, page, 3), { locale: 'en' }).blocks;
      return blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : '')) : []));
    };
    expect(ids(1)).toEqual(['circle_page_next']);
    expect(ids(2)).toEqual(['circle_page_prev', 'circle_page_next']);
    expect(ids(3)).toEqual(['circle_page_prev']);
  });
});

describe.each(LOCALES)('Slack renderers with the command layer builders (%s)', (locale) => {
  it('renders the real /line help reply', async () => {
    const { buildHelpReply } = await import('../../../../src/chat/commands/oncall-reply.js');
    const { ReplyFormat } = await import('../../../../src/chat/commands/labels.js');
    const reply = buildHelpReply(new ReplyFormat(locale, 'Asia/Tokyo', new Date('2026-11-26T08:40:00Z')));
    const message = renderReply(reply, { locale, shareValue: encodeSharedCommand({ command: '/line', text: 'help' }) });
    expectWithinLimits(message.blocks);
    expect(message.blocks[0]?.type).toBe('header');
    expect(message).toMatchSnapshot();
  });
});
