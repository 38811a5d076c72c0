/**
 * Socket Mode: real Bolt SocketModeReceiver, apps.connections.open on the fake Web API, and the
 * fake's WebSocket sending envelopes and recording acknowledgements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { createSlackApp, type SlackApp } from '../../../src/chat/slack/slack-app.js';
import { FakeSlackApi } from '../../fakes/slack-api-server.js';
import { FakeChatService } from './fake-chat-service.js';

let fake: FakeSlackApi;
let slack: SlackApp;
let chat: FakeChatService;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  chat = new FakeChatService('ja');
  slack = createSlackApp({
    botToken: 'xoxb-test',
    mode: { kind: 'socket', appToken: 'xapp-1-test', autoReconnectEnabled: false },
    chatService: chat,
    locale: 'ja',
    apiUrl: fake.apiUrl,
    logLevel: LogLevel.ERROR,
  });
  await slack.start();
});

afterAll(async () => {
  await slack.stop();
  await fake.close();
});

describe('Socket Mode', () => {
  it('opens the connection with the app-level token through SLACK_API_URL', () => {
    const open = fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe('xapp-1-test');
    expect(fake.connectedSockets).toBe(1);
  });

  it('acks a slash command envelope with the rendered reply', async () => {
    fake.sendEnvelope({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy',
        team_id: 'TFAKE',
        team_domain: 'fake',
        channel_id: 'C0SUPPORT',
        channel_name: 'support',
        user_id: 'U0SATO',
        user_name: 'sato',
        command: '/line',
        text: 'status 0000000773',
        api_app_id: 'AFAKE',
        is_enterprise_install: 'false',
        response_url: fake.responseUrl('sock-cmd'),
        trigger_id: 't1',
      },
    });
    const ack = await fake.waitFor(() => fake.acks.find((a) => a.envelope_id === 'env-1'));
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(ack.payload?.text).toBe('ユニーク 0000000773: このユニークはレジストされていません');
    expect(JSON.stringify(ack.payload?.blocks)).toContain('チャンネルに投稿');
    expect(chat.executed.at(-1)?.ctx.actor).toEqual({ source: 'slack', id: 'U0SATO', name: 'sato' });
  });

  it('acks an alert button envelope and updates the message through response_url', async () => {
    fake.sendEnvelope({
      envelope_id: 'env-2',
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        api_app_id: 'AFAKE',
        token: 'legacy',
        trigger_id: 't2',
        team: { id: 'TFAKE', domain: 'fake' },
        user: { id: 'U0SATO', username: 'sato', name: 'sato', team_id: 'TFAKE' },
        channel: { id: 'C0ALERTS', name: 'alerts' },
        container: { type: 'message', message_ts: '1764000000.000001', channel_id: 'C0ALERTS', is_ephemeral: false },
        response_url: fake.responseUrl('sock-ack'),
        actions: [{ type: 'button', action_id: 'alert_resolve', block_id: 'alert_42', value: '42', action_ts: '1764000100.1' }],
      },
    });
    await fake.waitFor(() => fake.acks.find((a) => a.envelope_id === 'env-2'));
    const response = await fake.waitFor(() => fake.responses.find((r) => r.id === 'sock-ack'));
    expect(chat.acted.at(-1)?.action).toEqual({ action: 'resolve', incidentId: 42 });
    expect(response.body.replace_original).toBe(true);
    expect(JSON.stringify(response.body.blocks)).toContain('<@U0SATO> が操作: 確認しました');
  });
});
