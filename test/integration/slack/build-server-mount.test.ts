/**
 * The Slack events plugin mounted the way main.ts mounts it: as a root plugin of buildServer,
 * next to the JSON API, answered through fastify.inject().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { LogLevel } from '@slack/bolt';
import { buildServer } from '../../../src/http/build-server.js';
import { FastifyReceiver, slackEventsPlugin } from '../../../src/chat/slack/fastify-receiver.js';
import { createSlackApp } from '../../../src/chat/slack/slack-app.js';
import { signSlackRequest } from '../../../src/chat/slack/signature.js';
import { FakeSlackApi } from '../../fakes/slack-api-server.js';
import { FakeChatService } from './fake-chat-service.js';

let fake: FakeSlackApi;
let server: FastifyInstance;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  const receiver = new FastifyReceiver({ signingSecret: 'mount-secret' });
  createSlackApp({ botToken: 'xoxb-test', mode: { kind: 'http', receiver }, chatService: new FakeChatService('ja'), locale: 'ja', apiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });
  server = await buildServer({ apiToken: undefined, registry: new Registry(), readiness: [], api: [], root: [{ plugin: slackEventsPlugin, options: { receiver } }] });
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

describe('slackEventsPlugin inside buildServer', () => {
  it('answers a signed slash command and refuses an unsigned one', async () => {
    const body = new URLSearchParams({ command: '/line', text: 'status 0000000773', user_id: 'U1', user_name: 'u', channel_id: 'C1', team_id: 'TFAKE', response_url: fake.responseUrl('m1') }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const ok = await server.inject({
      method: 'POST',
      url: '/slack/events',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest('mount-secret', ts, body) },
      payload: body,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().text).toBe('ユニーク 0000000773: このユニークはレジストされていません');
    const refused = await server.inject({ method: 'POST', url: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ error: { code: 'CHAT_ERR_SLACK_SIGNATURE', message: 'Slack request signature rejected: missing_headers' } });
  });

  it('leaves the other routes of the server working', async () => {
    const health = await server.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });
});
