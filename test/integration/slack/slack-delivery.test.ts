/**
 * SlackDelivery against the fake Web API with the client createSlackApp builds (no retries,
 * rate-limited calls rejected): posting, editing, threads, DMs, 429s and ambiguous failures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { DeliveryPermanentError, DeliveryRateLimitedError } from '../../../src/alerts/index.js';
import { FastifyReceiver } from '../../../src/chat/slack/fastify-receiver.js';
import { createSlackApp, type SlackApp } from '../../../src/chat/slack/slack-app.js';
import { SlackDelivery } from '../../../src/chat/slack/slack-delivery.js';
import { FakeSlackApi } from '../../fakes/slack-api-server.js';
import { alertView } from '../../unit/chat/slack/sample-replies.js';
import { FakeChatService } from './fake-chat-service.js';

let fake: FakeSlackApi;
let slack: SlackApp;
let delivery: SlackDelivery;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  slack = createSlackApp({
    botToken: 'xoxb-test',
    mode: { kind: 'http', receiver: new FastifyReceiver({ signingSecret: 's' }) },
    chatService: new FakeChatService('ja'),
    locale: 'ja',
    apiUrl: fake.apiUrl,
    logLevel: LogLevel.ERROR,
  });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  // A fresh adapter per test, as after a restart; the fake keeps its messages.
  delivery = new SlackDelivery({ client: slack.client, locale: 'ja' });
});

const withKey = (key: string) => fake.messages.filter((m) => m.metadata?.event_payload.idempotency_key === key);

describe('SlackDelivery', () => {
  it('posts an alert, edits it on recovery and adds a thread reply; DMs go through conversations.open', async () => {
    const { messageRef } = await delivery.post('C0ALERTS', alertView('ja'), 'outbox-1');
    const [posted] = withKey('outbox-1');
    expect(posted).toBeDefined();
    expect(messageRef).toBe(`C0ALERTS:${posted?.ts}`);
    const call = fake.callsTo('chat.postMessage').at(-1);
    expect(call?.token).toBe('xoxb-test');
    expect(call?.params.text).toBe('<@U0SATO> <!subteam^S0SUPPORT> 🔴 パスワードエラー: 0000000773（サークル 123456789）');
    expect(call?.params.metadata).toEqual({ event_type: 'linewatch_alert', event_payload: { idempotency_key: 'outbox-1', incident_id: 42 } });
    expect(JSON.stringify(posted?.blocks)).toContain('alert_ack');

    const recovered = alertView('ja', { state: 'resolved', stateLine: '2026/11/26 17:50 JST に自動で復旧', actions: ['history'], mentions: [] });
    await delivery.update('C0ALERTS', messageRef, recovered);
    expect(posted?.edits).toBe(1);
    expect(JSON.stringify(posted?.blocks)).toContain('自動で復旧');
    expect(JSON.stringify(posted?.blocks)).not.toContain('alert_ack');

    await delivery.reply('C0ALERTS', messageRef, { incidentId: 42, text: '復旧しました', mentions: [] }, 'outbox-2');
    const [reply] = withKey('outbox-2');
    expect(reply?.threadTs).toBe(posted?.ts);
    expect(reply?.text).toBe('復旧しました');

    await delivery.directMessage('U0SUZUKI', { incidentId: 42, text: 'エスカレーション', mentions: [] }, 'outbox-3');
    expect(fake.callsTo('conversations.open').at(-1)?.params.users).toBe('U0SUZUKI');
    expect(withKey('outbox-3')[0]?.channel).toBe('DU0SUZUKI');
  });

  it('turns a 429 into DeliveryRateLimitedError with Retry-After in ms, then posts exactly once', async () => {
    fake.failNext('chat.postMessage', 1, { kind: 'rate_limited', retryAfterSeconds: 7 });
    const error = await delivery.post('C0ALERTS', alertView('en'), 'outbox-429').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryRateLimitedError);
    expect((error as DeliveryRateLimitedError).retryAfterMs).toBe(7000);
    expect(withKey('outbox-429')).toHaveLength(0);
    const { messageRef } = await delivery.post('C0ALERTS', alertView('en'), 'outbox-429');
    expect(withKey('outbox-429')).toHaveLength(1);
    expect(messageRef).toBe(`C0ALERTS:${withKey('outbox-429')[0]?.ts}`);
    // A 429 is not ambiguous: no history lookup was needed.
    expect(fake.callsTo('conversations.history').filter((c) => c.params.channel === 'C0ALERTS')).toHaveLength(0);
  });

  it('does not post twice when the first post landed but its answer was lost (found by metadata in history)', async () => {
    fake.failNext('chat.postMessage', 1, { kind: 'commit_then_http', status: 500 });
    const postsBefore = fake.callsTo('chat.postMessage').length;
    const error = await delivery.post('C0ALERTS', alertView('en'), 'outbox-ambiguous').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DeliveryPermanentError);
    expect(error).not.toBeInstanceOf(DeliveryRateLimitedError);
    expect(withKey('outbox-ambiguous')).toHaveLength(1);

    const { messageRef } = await delivery.post('C0ALERTS', alertView('en'), 'outbox-ambiguous');
    expect(withKey('outbox-ambiguous')).toHaveLength(1);
    expect(messageRef).toBe(`C0ALERTS:${withKey('outbox-ambiguous')[0]?.ts}`);
    expect(fake.callsTo('chat.postMessage').length - postsBefore).toBe(1);
    const lookup = fake.callsTo('conversations.history').at(-1);
    expect(lookup?.params).toMatchObject({ channel: 'C0ALERTS', limit: '50', include_all_metadata: 'true' });
  });

  it('after a restart, a retry the outbox marks mayHavePosted finds the message the dead process posted, and a first attempt looks nothing up', async () => {
    fake.failNext('chat.postMessage', 1, { kind: 'commit_then_http', status: 500 });
    await delivery.post('C0ALERTS', alertView('en'), 'outbox-restart').catch(() => undefined);
    expect(withKey('outbox-restart')).toHaveLength(1);
    const restarted = new SlackDelivery({ client: slack.client, locale: 'en' }); // no memory of the failure
    const lookupsBefore = fake.callsTo('conversations.history').length;
    const { messageRef } = await restarted.post('C0ALERTS', alertView('en'), 'outbox-restart', { mayHavePosted: true });
    expect(withKey('outbox-restart')).toHaveLength(1);
    expect(messageRef).toBe(`C0ALERTS:${withKey('outbox-restart')[0]?.ts}`);
    expect(fake.callsTo('conversations.history').length).toBe(lookupsBefore + 1);
    await restarted.post('C0ALERTS', alertView('en'), 'outbox-first', { mayHavePosted: false });
    expect(withKey('outbox-first')).toHaveLength(1);
    expect(fake.callsTo('conversations.history').length).toBe(lookupsBefore + 1);
  });

  it('posts once when the ambiguous failure had not landed', async () => {
    fake.failNext('chat.postMessage', 1, { kind: 'http', status: 503 });
    await expect(delivery.post('C0ALERTS', alertView('en'), 'outbox-lost')).rejects.toThrow('HTTP 503');
    await delivery.post('C0ALERTS', alertView('en'), 'outbox-lost');
    expect(withKey('outbox-lost')).toHaveLength(1);
  });

  it('does not reply twice in a thread after an ambiguous failure (found with conversations.replies)', async () => {
    const { messageRef } = await delivery.post('C0ALERTS', alertView('en'), 'outbox-parent');
    fake.failNext('chat.postMessage', 1, { kind: 'commit_then_http', status: 500 });
    const note = { incidentId: 42, text: 'Repeated 10 times', mentions: [] };
    await expect(delivery.reply('C0ALERTS', messageRef, note, 'outbox-note')).rejects.toThrow();
    await delivery.reply('C0ALERTS', messageRef, note, 'outbox-note');
    expect(withKey('outbox-note')).toHaveLength(1);
    expect(fake.callsTo('conversations.replies').at(-1)?.params.ts).toBe(messageRef.split(':')[1]);
  });

  it.each(['channel_not_found', 'not_in_channel', 'invalid_auth', 'account_inactive', 'msg_too_long'])('parks the row on %s (DeliveryPermanentError)', async (code) => {
    fake.failNext('chat.postMessage', 1, { kind: 'slack_error', error: code });
    const error = await delivery.post('C0GONE', alertView('en'), `outbox-${code}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryPermanentError);
    expect((error as Error).message).toContain(code);
  });

  it('maps a 429 on chat.update too', async () => {
    const { messageRef } = await delivery.post('C0ALERTS', alertView('en'), 'outbox-upd');
    fake.failNext('chat.update', 1, { kind: 'rate_limited', retryAfterSeconds: 2 });
    await expect(delivery.update('C0ALERTS', messageRef, alertView('en'))).rejects.toMatchObject({ retryAfterMs: 2000 });
  });

  it('treats an unreachable Slack as retryable', async () => {
    const closed = await FakeSlackApi.start();
    const url = closed.apiUrl;
    await closed.close();
    const offline = createSlackApp({
      botToken: 'xoxb-test',
      mode: { kind: 'http', receiver: new FastifyReceiver({ signingSecret: 's' }) },
      chatService: new FakeChatService('en'),
      locale: 'en',
      apiUrl: url,
      logLevel: LogLevel.ERROR,
    });
    const error = await new SlackDelivery({ client: offline.client, locale: 'en' }).post('C0ALERTS', alertView('en'), 'k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DeliveryPermanentError);
    expect((error as Error).message).toMatch(/unreachable/);
  });
});
