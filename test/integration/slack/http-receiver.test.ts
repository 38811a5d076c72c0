/**
 * Real Bolt behind our Fastify receiver, over real HTTP, with real v0 signatures, against the fake
 * Slack Web API and a fake response_url.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { LogLevel } from '@slack/bolt';
import { FastifyReceiver, slackEventsPlugin } from '../../../src/chat/slack/fastify-receiver.js';
import { createSlackApp, type SlackApp } from '../../../src/chat/slack/slack-app.js';
import { signSlackRequest } from '../../../src/chat/slack/signature.js';
import { FakeSlackApi } from '../../fakes/slack-api-server.js';
import { FakeChatService } from './fake-chat-service.js';

const SECRET = 'test-signing-secret-0123456789';
const NOW = new Date('2026-11-26T08:40:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

let fake: FakeSlackApi;
let server: FastifyInstance;
let slack: SlackApp;
let chat: FakeChatService;
let baseUrl: string;
let seq = 0;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  chat = new FakeChatService('en');
  const receiver = new FastifyReceiver({ signingSecret: SECRET, clock: { now: () => NOW } });
  slack = createSlackApp({ botToken: 'xoxb-test', mode: { kind: 'http', receiver }, chatService: chat, locale: 'en', apiUrl: fake.apiUrl, ackDeadlineMs: 1500, logLevel: LogLevel.ERROR });
  server = Fastify();
  await server.register(slackEventsPlugin, { receiver });
  server.post('/other', async (req) => ({ echoed: req.body }));
  baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
  await slack.stop();
  await fake.close();
});

beforeEach(() => {
  chat.executeDelayMs = 0;
});

function slashForm(command: string, text: string): string {
  seq += 1;
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'TFAKE',
    team_domain: 'fake',
    channel_id: 'C0SUPPORT',
    channel_name: 'support',
    user_id: 'U0SATO',
    user_name: 'sato',
    command,
    text,
    api_app_id: 'AFAKE',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(`cmd${seq}`),
    trigger_id: `trigger${seq}`,
  }).toString();
}

function actionForm(action: Record<string, unknown>, responseId: string, extra: Record<string, unknown> = {}): string {
  const payload = {
    type: 'block_actions',
    token: 'legacy',
    api_app_id: 'AFAKE',
    trigger_id: 'trigger-action',
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: 'U0SATO', username: 'sato', name: 'sato', team_id: 'TFAKE' },
    channel: { id: 'C0ALERTS', name: 'alerts' },
    container: { type: 'message', message_ts: '1764000000.000001', channel_id: 'C0ALERTS', is_ephemeral: false },
    message: { type: 'message', ts: '1764000000.000001', text: 'alert', blocks: [] },
    response_url: fake.responseUrl(responseId),
    actions: [{ block_id: 'alert_42', action_ts: '1764000100.000100', ...action }],
    ...extra,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

async function post(body: string, options: { contentType?: string; timestamp?: number | null; signature?: string | null } = {}): Promise<Response> {
  const ts = options.timestamp === undefined ? NOW_S : options.timestamp;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' };
  if (ts !== null) headers['x-slack-request-timestamp'] = String(ts);
  const signature = options.signature === undefined ? (ts === null ? null : signSlackRequest(SECRET, ts, body)) : options.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  return fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
}

describe('POST /slack/events (HTTP mode)', () => {
  it('answers a correctly signed /line status with the rendered ephemeral status and a Post to channel button', async () => {
    const res = await post(slashForm('/line', 'status 0000000773'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string; blocks: { type: string; text?: { text: string }; elements?: { action_id: string }[] }[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe('Line 0000000773: This unique is NOT registered');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Line 0000000773', emoji: true } });
    expect(JSON.stringify(body.blocks)).toContain(':red_circle: *This unique is NOT registered*');
    const actions = body.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    expect(actions.map((a) => a.action_id)).toEqual(['post_to_channel']);
    expect(chat.executed.at(-1)).toEqual({
      command: { name: 'line.status', unique: '0000000773' },
      ctx: { platform: 'slack', channelId: 'C0SUPPORT', actor: { source: 'slack', id: 'U0SATO', name: 'sato' } },
    });
    // auth.test is called once on the first event, through the fake Web API, never at construction.
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it.each([
    ['a bad signature', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' }],
    ['a stale timestamp (10 min old)', { timestamp: NOW_S - 600 }],
    ['a timestamp 10 min in the future', { timestamp: NOW_S + 600 }],
    ['missing headers', { timestamp: null, signature: null }],
  ])('refuses %s with 401 and never reaches the command layer', async (_name, options) => {
    const before = chat.parsed.length;
    const res = await post(slashForm('/line', 'status 0000000773'), options);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CHAT_ERR_SLACK_SIGNATURE');
    expect(chat.parsed.length).toBe(before);
  });

  it('acknowledges an Acknowledge click and replaces the alert through response_url, showing who pressed', async () => {
    const res = await post(actionForm({ type: 'button', action_id: 'alert_ack', value: '42', text: { type: 'plain_text', text: 'Acknowledge' } }, 'ack1'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const response = await fake.waitFor(() => fake.responses.find((r) => r.id === 'ack1'));
    expect(chat.acted.at(-1)).toEqual({
      action: { action: 'ack', incidentId: 42 },
      ctx: { platform: 'slack', channelId: 'C0ALERTS', actor: { source: 'slack', id: 'U0SATO', name: 'sato' } },
    });
    expect(response.body.replace_original).toBe(true);
    const blocks = JSON.stringify(response.body.blocks);
    expect(blocks).toContain('Acknowledged by Sato at 2026-11-26 17:45 JST');
    expect(blocks).toContain('<@U0SATO>: Acknowledged');
    expect(blocks).not.toContain('alert_ack');
  });

  it('passes the snooze choice from the select menu', async () => {
    const res = await post(actionForm({ type: 'static_select', action_id: 'alert_snooze', selected_option: { text: { type: 'plain_text', text: '1 h' }, value: '42:60' } }, 'snz1'));
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.responses.find((r) => r.id === 'snz1'));
    expect(chat.acted.at(-1)?.action).toEqual({ action: 'snooze', incidentId: 42, snoozeMinutes: 60 });
  });

  it('answers a tampered button value privately without calling the command layer', async () => {
    const before = chat.acted.length;
    await post(actionForm({ type: 'button', action_id: 'alert_resolve', value: '42; drop table' }, 'bad1'));
    const response = await fake.waitFor(() => fake.responses.find((r) => r.id === 'bad1'));
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(chat.acted.length).toBe(before);
  });

  it('re-posts an answer to the channel when "Post to channel" is pressed', async () => {
    const value = JSON.stringify({ c: '/line', t: 'status 0000000773' });
    await post(actionForm({ type: 'button', action_id: 'post_to_channel', value }, 'share1', { container: { type: 'message', message_ts: '1', channel_id: 'C0SUPPORT', is_ephemeral: true } }));
    const response = await fake.waitFor(() => fake.responses.find((r) => r.id === 'share1'));
    expect(response.body.response_type).toBe('in_channel');
    expect(response.body.text).toBe('Line 0000000773: This unique is NOT registered');
    expect(JSON.stringify(response.body.blocks)).toContain('Shared by <@U0SATO>');
  });

  it('pages through a circle with the Next button', async () => {
    await post(actionForm({ type: 'button', action_id: 'circle_page_next', value: JSON.stringify({ c: '123456789', y: null, p: 2 }) }, 'page2'));
    const response = await fake.waitFor(() => fake.responses.find((r) => r.id === 'page2'));
    expect(chat.executed.at(-1)?.command).toEqual({ name: 'circle.status', circle: '123456789', page: 2 });
    expect(response.body.replace_original).toBe(true);
    expect(JSON.stringify(response.body.blocks)).toContain('Page 2 of 3');
  });

  it('acknowledges a slow answer with "Checking…" and delivers it through response_url', async () => {
    chat.executeDelayMs = 2000;
    const form = slashForm('/oncall', '');
    const id = new URLSearchParams(form).get('response_url')?.split('/').at(-1);
    const res = await post(form);
    expect(((await res.json()) as { text: string }).text).toBe('Checking…');
    const response = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
    expect(response.body.text).toBe('On call: On call now: Sato');
  });

  it('answers url_verification and ssl_check', async () => {
    const challenge = JSON.stringify({ token: 'x', challenge: 'abc123', type: 'url_verification' });
    const res = await post(challenge, { contentType: 'application/json' });
    expect(await res.json()).toEqual({ challenge: 'abc123' });
    const ssl = await post('ssl_check=1&token=x', { timestamp: null, signature: null });
    expect(ssl.status).toBe(200);
  });

  it('answers 404 when no listener acknowledges within 3 s, like Bolt', async () => {
    const res = await post(slashForm('/unknown', 'x'));
    expect(res.status).toBe(404);
  });

  it('answers 400 to a signed body that is not a Slack payload', async () => {
    const res = await post('{not json', { contentType: 'application/json' });
    expect(res.status).toBe(400);
  });

  it('leaves JSON parsing of the other routes alone', async () => {
    const res = await fetch(`${baseUrl}/other`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await res.json()).toEqual({ echoed: { a: 1 } });
  });
});
