/**
 * Real discord.js Client against the local fake gateway and REST API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordGateway, InteractionHandler } from '../../../src/chat/discord/index.js';
import { FakeDiscordServer, interactionPayload } from '../../fakes/discord-api-server.js';
import { FakeChatService, alertView, lineStatusReply } from '../../unit/chat/discord/fixtures.js';

describe('DiscordGateway against the fake gateway', () => {
  let fake: FakeDiscordServer;
  let gateway: DiscordGateway;
  let chat: FakeChatService;
  let nextId = 1_400_000_000_000_000_000n;
  const id = () => (nextId++).toString();

  async function start(service: FakeChatService, deferAfterMs?: number) {
    chat = service;
    gateway = new DiscordGateway({
      token: 'fake-token',
      apiUrl: fake.apiUrl,
      handler: new InteractionHandler({ chatService: chat, locale: chat.locale }),
      clientOptions: { waitGuildTimeout: 100 },
      ...(deferAfterMs !== undefined ? { deferAfterMs } : {}),
    });
    await gateway.start();
  }

  beforeEach(async () => {
    fake = await FakeDiscordServer.start({ heartbeatIntervalMs: 200 });
  });
  afterEach(async () => {
    await gateway?.stop();
    await fake.close();
  });

  it('connects: HELLO, IDENTIFY → READY, heartbeats ACKed', async () => {
    await start(new FakeChatService('ja'));
    expect(fake.gateway.identifies).toBe(1);
    expect(fake.calls.some((c) => c.path === '/gateway/bot' && c.authorization === 'Bot fake-token')).toBe(true);
    await fake.waitFor(() => fake.gateway.heartbeats >= 2, 3000);
    expect(fake.gateway.connections).toBe(1);
  });

  it('answers /line status with the rendered ephemeral reply through the interaction callback', async () => {
    await start(new FakeChatService('ja'));
    const interactionId = id();
    fake.dispatchInteraction(
      interactionPayload({
        id: interactionId,
        type: 2,
        applicationId: fake.applicationId,
        data: { id: id(), name: 'line', type: 1, options: [{ type: 1, name: 'status', options: [{ type: 3, name: 'unique', value: '0000000773' }] }] },
      }),
    );
    await fake.waitFor(() => fake.interactionCallbacks.length === 1);
    const callback = fake.interactionCallbacks[0]!;
    expect(callback.id).toBe(interactionId);
    expect(callback.token).toBe(`token-${interactionId}`);
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].title).toBe('× ユニーク 0000000773');
    expect(callback.body.data.components[0].components[0].custom_id).toBe('post:line.status:0000000773');
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [], users: [], roles: [] });
    expect(chat.executed[0]!.command).toEqual({ name: 'line.status', unique: '0000000773' });
    expect(chat.executed[0]!.ctx.actor).toEqual({ source: 'discord', id: '1200000000000000100', name: 'Sato' });
  });

  it('acknowledges from a button press and updates the message (type 7)', async () => {
    await start(new FakeChatService('en'));
    const alert = alertView('en');
    fake.dispatchInteraction(
      interactionPayload({
        id: id(),
        type: 3,
        applicationId: fake.applicationId,
        data: { custom_id: 'alert:ack:42', component_type: 2 },
        message: {
          id: id(),
          channel_id: '1200000000000000200',
          type: 0,
          content: '',
          embeds: [{ title: alert.title }],
          components: [],
          author: { id: fake.botUserId, username: 'linewatch', discriminator: '0', bot: true, avatar: null, global_name: null },
          timestamp: new Date(0).toISOString(),
          edited_timestamp: null,
          tts: false,
          mention_everyone: false,
          mentions: [],
          mention_roles: [],
          attachments: [],
          pinned: false,
          flags: 0,
        },
      }),
    );
    await fake.waitFor(() => fake.interactionCallbacks.length === 1);
    expect(chat.acted.map((a) => a.action)).toEqual([{ action: 'ack', incidentId: 42 }]);
    const body = fake.interactionCallbacks[0]!.body;
    expect(body.type).toBe(7);
    expect(body.data.embeds[0].description).toContain('Acknowledged by Sato');
    expect(body.data.components[0].components.map((c: { custom_id: string }) => c.custom_id)).toEqual(['alert:resolve:42', 'alert:history:42']);
  });

  it('answers autocomplete with choices (type 8)', async () => {
    await start(new FakeChatService('en'));
    fake.dispatchInteraction(
      interactionPayload({
        id: id(),
        type: 4,
        applicationId: fake.applicationId,
        data: { id: id(), name: 'line', type: 1, options: [{ type: 1, name: 'status', options: [{ type: 3, name: 'unique', value: '0000', focused: true }] }] },
      }),
    );
    await fake.waitFor(() => fake.interactionCallbacks.length === 1);
    const body = fake.interactionCallbacks[0]!.body;
    expect(body.type).toBe(8);
    expect(body.data.choices).toHaveLength(25);
    expect(body.data.choices[0]).toEqual({ name: '000000', value: '000000' });
  });

  it('defers a slow answer and edits it in', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await start(new FakeChatService('en', { execute: async () => (await gate, lineStatusReply('en')) }), 50);
    fake.dispatchInteraction(
      interactionPayload({ id: id(), type: 2, applicationId: fake.applicationId, data: { id: id(), name: 'line', type: 1, options: [{ type: 1, name: 'help' }] } }),
    );
    await fake.waitFor(() => fake.interactionCallbacks.length === 1);
    expect(fake.interactionCallbacks[0]!.body).toMatchObject({ type: 5, data: { flags: 64 } });
    release();
    await fake.waitFor(() => fake.webhookCalls.length === 1);
    const edit = fake.webhookCalls[0]!;
    expect(edit.method).toBe('PATCH');
    expect(edit.path).toBe(`/webhooks/${fake.applicationId}/${fake.interactionCallbacks[0]!.token}/messages/@original`);
    expect(edit.body.embeds[0].title).toBe('× Line 0000000773');
  });
});
