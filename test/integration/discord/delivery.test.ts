/**
 * DiscordDelivery with real @discordjs/rest against the fake REST API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryPermanentError, DeliveryRateLimitedError } from '../../../src/alerts/index.js';
import { DiscordDelivery, createDiscordRest, nonceFor } from '../../../src/chat/discord/index.js';
import { FakeDiscordServer } from '../../fakes/discord-api-server.js';
import { alertView } from '../../unit/chat/discord/fixtures.js';

const CHANNEL = '1200000000000000200';

describe('DiscordDelivery against the fake REST API', () => {
  let fake: FakeDiscordServer;
  let delivery: DiscordDelivery;

  beforeEach(async () => {
    fake = await FakeDiscordServer.start({ channels: [CHANNEL] });
    delivery = new DiscordDelivery({ rest: createDiscordRest({ token: 'bot-token', apiUrl: fake.apiUrl }), locale: 'ja' });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('posts an alert, edits it on recovery and writes the recovery in its thread', async () => {
    const { messageRef } = await delivery.post(CHANNEL, alertView('ja'), 'outbox:1');
    const posted = fake.messages.get(messageRef)!;
    expect(posted.channel_id).toBe(CHANNEL);
    expect(posted.content).toBe('<@1200000000000000100> <@&1200000000000000500> @Tanaka');
    expect(posted.allowed_mentions).toEqual({ parse: [], users: ['1200000000000000100'], roles: ['1200000000000000500'] });
    const create = fake.calls.find((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL}/messages`)!;
    expect(create.authorization).toBe('Bot bot-token');
    expect(create.body).toMatchObject({ nonce: nonceFor('outbox:1'), enforce_nonce: true });
    expect(nonceFor('outbox:1').length).toBeLessThanOrEqual(25);

    await delivery.update(CHANNEL, messageRef, alertView('ja', 'resolved'));
    expect(posted.edits).toBe(1);
    expect((posted.embeds[0] as { description: string }).description).toContain('復旧');
    expect((posted.components as unknown[]).length).toBe(1);

    await delivery.reply(CHANNEL, messageRef, { incidentId: 42, text: '復旧しました', mentions: [] }, 'outbox:2');
    expect(fake.threads.get(messageRef)).toEqual({ id: messageRef, parentId: CHANNEL, name: 'アラート #42 の経過' });
    expect(fake.messagesIn(messageRef).map((m) => m.content)).toEqual(['復旧しました']);

    // The second note goes straight into the existing thread.
    const before = fake.calls.length;
    await delivery.reply(CHANNEL, messageRef, { incidentId: 42, text: '再発', mentions: [] }, 'outbox:3');
    expect(fake.calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual([`POST /channels/${messageRef}/messages`]);
    expect(fake.messagesIn(messageRef)).toHaveLength(2);
  });

  it('a 429 surfaces as DeliveryRateLimitedError; the retry posts exactly once', async () => {
    fake.failNext({ count: 1, status: 429, retryAfterS: 0.2 });
    const error = await delivery.post(CHANNEL, alertView('en'), 'outbox:7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryRateLimitedError);
    expect((error as DeliveryRateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(200);
    expect((error as DeliveryRateLimitedError).retryAfterMs).toBeLessThan(1000);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, (error as DeliveryRateLimitedError).retryAfterMs));
    const { messageRef } = await delivery.post(CHANNEL, alertView('en'), 'outbox:7');
    expect(fake.messagesIn(CHANNEL).map((m) => m.id)).toEqual([messageRef]);
  });

  it('a lost response then a retry returns the first message (nonce dedupe), never a second post', async () => {
    fake.failNext({ count: 1, status: 500, afterCommit: true });
    await expect(delivery.post(CHANNEL, alertView('en'), 'outbox:8')).rejects.toThrow(/500/);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    const first = fake.messagesIn(CHANNEL)[0]!;
    const { messageRef } = await delivery.post(CHANNEL, alertView('en'), 'outbox:8');
    expect(messageRef).toBe(first.id);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
    // A different outbox row is a different message.
    await delivery.post(CHANNEL, alertView('en'), 'outbox:9');
    expect(fake.messagesIn(CHANNEL)).toHaveLength(2);
  });

  it('retries nothing itself on 5xx (the outbox does)', async () => {
    fake.failNext({ count: 1, status: 502 });
    const error = await delivery.post(CHANNEL, alertView('en'), 'outbox:10').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DeliveryPermanentError);
    expect(error).not.toBeInstanceOf(DeliveryRateLimitedError);
    expect(fake.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('maps unknown channels and missing access to DeliveryPermanentError', async () => {
    await expect(delivery.post('1299999999999999999', alertView('en'), 'outbox:11')).rejects.toBeInstanceOf(DeliveryPermanentError);
    fake.failNext({ count: 1, status: 403, code: 50001 });
    await expect(delivery.post(CHANNEL, alertView('en'), 'outbox:12')).rejects.toBeInstanceOf(DeliveryPermanentError);
    await expect(delivery.update(CHANNEL, '1299999999999999998', alertView('en'))).rejects.toBeInstanceOf(DeliveryPermanentError);
  });

  it('sends direct messages through a DM channel, deduplicated by nonce', async () => {
    const note = { incidentId: 42, text: 'escalated', mentions: [] };
    await delivery.directMessage('1200000000000000100', note, 'outbox:13');
    await delivery.directMessage('1200000000000000100', note, 'outbox:13');
    expect(fake.messagesIn('dm-1200000000000000100').map((m) => m.content)).toEqual(['escalated']);
  });
});
