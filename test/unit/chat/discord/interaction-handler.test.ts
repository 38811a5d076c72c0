import { describe, expect, it } from 'vitest';
import { InteractionHandler, toApiResponse, type InteractionRequest } from '../../../../src/chat/discord/index.js';
import { FakeChatService } from './fixtures.js';

const user = { id: '1200000000000000100', username: 'sato', globalName: 'Sato Hanako' };
const base = { user, channelId: '1200000000000000200' };
const command = (commandName: string, subcommand: string | null, options: Record<string, string | number> = {}): InteractionRequest => ({ ...base, kind: 'command', commandName, subcommand, options });
const component = (customId: string, values: string[] = [], messageEphemeral = false): InteractionRequest => ({ ...base, kind: 'component', customId, values, messageEphemeral });

function setup() {
  const chat = new FakeChatService('en');
  const handler = new InteractionHandler({ chatService: chat, locale: 'en' });
  return { chat, handler };
}

describe('InteractionHandler', () => {
  it('runs /line status ephemerally with a Post to channel button, as the Discord user', async () => {
    const { chat, handler } = setup();
    const response = toApiResponse(await handler.handle(command('line', 'status', { unique: ' 0000000773 ' })));
    expect(chat.executed[0]).toEqual({
      command: { name: 'line.status', unique: '0000000773' },
      ctx: { platform: 'discord', channelId: '1200000000000000200', actor: { source: 'discord', id: user.id, name: 'Sato Hanako' } },
    });
    expect(response).toMatchObject({ type: 4, data: { flags: 64 } });
    const data = (response as { data: { components: { components: { custom_id: string }[] }[] } }).data;
    expect(data.components[0]!.components[0]!.custom_id).toBe('post:line.status:0000000773');
  });

  it('builds every command from options', async () => {
    const { chat, handler } = setup();
    await handler.handle(command('line', 'history', { unique: '1' }));
    await handler.handle(command('line', 'why', { unique: '1' }));
    await handler.handle(command('line', 'help'));
    await handler.handle(command('circle', 'status', { circle: '9', type: 'ivr' }));
    await handler.handle(command('oncall', null));
    await handler.handle(command('oncall', null, { person: 'tanaka', duration: 90 }));
    expect(chat.executed.map((e) => e.command)).toEqual([
      { name: 'line.history', unique: '1' },
      { name: 'line.why', unique: '1' },
      { name: 'line.help' },
      { name: 'circle.status', circle: '9', type: 'ivr' },
      { name: 'oncall.show' },
      { name: 'oncall.override', person: 'tanaka', durationMinutes: 90 },
    ]);
  });

  it('explains an override without duration instead of calling the service', async () => {
    const { chat, handler } = setup();
    const outcome = await handler.handle(command('oncall', null, { person: 'tanaka' }));
    expect(chat.executed).toHaveLength(0);
    expect(outcome).toMatchObject({ type: 'reply', ephemeral: true });
    expect(JSON.stringify(outcome)).toContain('both person and duration');
  });

  it('autocompletes with at most 25 choices', async () => {
    const { chat, handler } = setup();
    const outcome = await handler.handle({ ...base, kind: 'autocomplete', commandName: 'line', subcommand: 'status', focused: { name: 'unique', value: '00' } });
    expect(chat.completed).toEqual([{ kind: 'unique', prefix: '00' }]);
    expect(toApiResponse(outcome)).toMatchObject({ type: 8 });
    expect(outcome.type === 'choices' && outcome.choices.length).toBe(25);
    const circle = await handler.handle({ ...base, kind: 'autocomplete', commandName: 'circle', subcommand: 'status', focused: { name: 'circle', value: '12' } });
    expect(chat.completed[1]).toEqual({ kind: 'circle', prefix: '12' });
    expect(circle.type).toBe('choices');
  });

  it('acknowledges from a button and updates the alert message (type 7)', async () => {
    const { chat, handler } = setup();
    const response = toApiResponse(await handler.handle(component('alert:ack:42')));
    expect(chat.acted[0]!.action).toEqual({ action: 'ack', incidentId: 42 });
    expect(chat.acted[0]!.ctx.actor).toEqual({ source: 'discord', id: user.id, name: 'Sato Hanako' });
    expect(response.type).toBe(7);
    expect(JSON.stringify(response)).toContain('Acknowledged by Sato');
  });

  it('snoozes from the select', async () => {
    const { chat, handler } = setup();
    await handler.handle(component('alert:snooze:42', ['240']));
    expect(chat.acted[0]!.action).toEqual({ action: 'snooze', incidentId: 42, snoozeMinutes: 240 });
  });

  it('answers history (not the alert) as an ephemeral reply', async () => {
    const chat = new FakeChatService('en', { act: () => ({ kind: 'line_history', unique: '1', labels: { title: 'h', fields: {}, status: { registered: '', not_registered: '', unsupported: '', unknown: '' }, postToChannel: 'p' }, entries: [], audit: [], retentionNote: null }) });
    const handler = new InteractionHandler({ chatService: chat, locale: 'en' });
    const outcome = await handler.handle(component('alert:history:42'));
    expect(outcome).toMatchObject({ type: 'reply', ephemeral: true });
  });

  it('pages circles in place and keeps the post button only on ephemeral listings', async () => {
    const { chat, handler } = setup();
    const outcome = await handler.handle(component('circle:page:123456789:*:2', [], true));
    expect(chat.executed[0]!.command).toEqual({ name: 'circle.status', circle: '123456789', page: 2 });
    expect(outcome.type).toBe('update');
    expect(JSON.stringify(outcome)).toContain('post:circle.status:123456789:*:2');
    const pub = await handler.handle(component('circle:page:123456789:*:2', [], false));
    expect(JSON.stringify(pub)).not.toContain('post:');
  });

  it('re-posts a command publicly', async () => {
    const { chat, handler } = setup();
    const outcome = await handler.handle(component('post:line.status:0000000773'));
    expect(chat.executed[0]!.command).toEqual({ name: 'line.status', unique: '0000000773' });
    expect(outcome).toMatchObject({ type: 'reply', ephemeral: false });
    expect(toApiResponse(outcome)).not.toHaveProperty('data.flags');
    expect(JSON.stringify(outcome)).not.toContain('post:');
  });

  it('turns unknown components and service failures into short ephemeral messages', async () => {
    const failing = new FakeChatService('ja', { execute: () => Promise.reject(new Error('db down secret=xyz')) });
    const handler = new InteractionHandler({ chatService: failing, locale: 'ja' });
    const failed = await handler.handle(command('line', 'status', { unique: '1' }));
    expect(failed).toMatchObject({ type: 'reply', ephemeral: true });
    expect(JSON.stringify(failed)).not.toContain('secret');
    expect(JSON.stringify(failed)).toContain('エラーが発生しました');
    const unknown = await handler.handle(component('nope'));
    expect(unknown).toMatchObject({ type: 'reply', ephemeral: true });
  });
});
