/**
 * POST /discord/interactions with signed requests from a generated Ed25519 key pair.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { InteractionHandler, discordInteractionsRoute } from '../../../src/chat/discord/index.js';
import { FakeChatService } from '../../unit/chat/discord/fixtures.js';
import { interactionPayload } from '../../fakes/discord-api-server.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
const NOW = new Date('2026-11-26T08:00:00Z');

function signed(body: string, timestamp = String(Math.floor(NOW.getTime() / 1000))) {
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': timestamp,
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
  };
}

describe('POST /discord/interactions', () => {
  let app: FastifyInstance;
  let chat: FakeChatService;

  beforeEach(async () => {
    chat = new FakeChatService('en');
    app = Fastify();
    // Another route keeps normal JSON parsing: the raw parser stays inside the plugin.
    app.post('/other', async (req) => ({ got: req.body }));
    await app.register(discordInteractionsRoute, { publicKeyHex, handler: new InteractionHandler({ chatService: chat, locale: 'en' }), clock: { now: () => NOW } });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  const command = JSON.stringify(
    interactionPayload({
      id: '1400000000000000001',
      type: 2,
      applicationId: '1200000000000000001',
      data: { id: '1', name: 'line', type: 1, options: [{ type: 1, name: 'status', options: [{ type: 3, name: 'unique', value: '0000000773' }] }] },
    }),
  );

  it('answers PING with type 1', async () => {
    const body = JSON.stringify({ id: '1', application_id: '2', type: 1, token: 't', version: 1 });
    const res = await app.inject({ method: 'POST', url: '/discord/interactions', headers: signed(body), payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ type: 1 });
  });

  it('answers a valid signed command with the rendered reply', async () => {
    const res = await app.inject({ method: 'POST', url: '/discord/interactions', headers: signed(command), payload: command });
    expect(res.statusCode).toBe(200);
    const json = res.json();
    expect(json.type).toBe(4);
    expect(json.data.flags).toBe(64);
    expect(json.data.embeds[0].title).toBe('× Line 0000000773');
    expect(chat.executed[0]!.command).toEqual({ name: 'line.status', unique: '0000000773' });
  });

  it('updates the message for a signed button press (type 7)', async () => {
    const body = JSON.stringify(
      interactionPayload({ id: '1400000000000000002', type: 3, applicationId: '1', data: { custom_id: 'alert:resolve:42', component_type: 2 }, message: { id: '5', flags: 0 } }),
    );
    const res = await app.inject({ method: 'POST', url: '/discord/interactions', headers: signed(body), payload: body });
    expect(res.json().type).toBe(7);
    expect(chat.acted[0]!.action).toEqual({ action: 'resolve', incidentId: 42 });
  });

  it('rejects a tampered body with 401', async () => {
    const headers = signed(command);
    const res = await app.inject({ method: 'POST', url: '/discord/interactions', headers, payload: command.replace('0000000773', '0000000774') });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'CHAT_ERR_DISCORD_SIGNATURE', message: 'Discord interaction signature invalid' } });
    expect(chat.executed).toHaveLength(0);
  });

  it('rejects a stale timestamp with 401', async () => {
    const old = String(Math.floor(NOW.getTime() / 1000) - 600);
    const res = await app.inject({ method: 'POST', url: '/discord/interactions', headers: signed(command, old), payload: command });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('CHAT_ERR_DISCORD_SIGNATURE');
  });

  it('rejects missing signature headers with 401', async () => {
    const res = await app.inject({ method: 'POST', url: '/discord/interactions', headers: { 'content-type': 'application/json' }, payload: command });
    expect(res.statusCode).toBe(401);
  });

  it('leaves other routes on normal JSON parsing', async () => {
    const res = await app.inject({ method: 'POST', url: '/other', payload: { a: 1 } });
    expect(res.json()).toEqual({ got: { a: 1 } });
  });
});

describe('POST /discord/interactions with a slow answer', () => {
  it('defers (type 5) and edits the answer in through the webhook', async () => {
    const { FakeDiscordServer } = await import('../../fakes/discord-api-server.js');
    const { createDiscordRest } = await import('../../../src/chat/discord/index.js');
    const { lineStatusReply } = await import('../../unit/chat/discord/fixtures.js');
    const fake = await FakeDiscordServer.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const chat = new FakeChatService('en', { execute: async () => (await gate, lineStatusReply('en')) });
    const app = Fastify();
    await app.register(discordInteractionsRoute, {
      publicKeyHex,
      handler: new InteractionHandler({ chatService: chat, locale: 'en' }),
      clock: { now: () => NOW },
      followUpRest: createDiscordRest({ apiUrl: fake.apiUrl }),
      deferAfterMs: 30,
    });
    try {
      const body = JSON.stringify(
        interactionPayload({ id: '1400000000000000009', type: 2, applicationId: fake.applicationId, token: 'tok', data: { id: '1', name: 'line', type: 1, options: [{ type: 1, name: 'help' }] } }),
      );
      const res = await app.inject({ method: 'POST', url: '/discord/interactions', headers: signed(body), payload: body });
      expect(res.json()).toEqual({ type: 5, data: { flags: 64 } });
      release();
      await fake.waitFor(() => fake.webhookCalls.length === 1);
      expect(fake.webhookCalls[0]).toMatchObject({ method: 'PATCH', path: `/webhooks/${fake.applicationId}/tok/messages/@original` });
      expect(fake.webhookCalls[0]!.body.embeds[0].title).toBe('× Line 0000000773');
      expect(fake.calls.find((c) => c.path.startsWith('/webhooks/'))!.authorization).toBeUndefined();
    } finally {
      await app.close();
      await fake.close();
    }
  });
});
