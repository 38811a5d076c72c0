/**
 * Black box with Slack: the real `linewatch serve` in Slack HTTP mode against a local fake Slack
 * Web API, real SIPp phones, real request signatures. The whole product loop: an agent asks
 * `/line status`; a wrong password raises an alert in the channel; the phone recovers and the alert
 * is edited with a thread reply; Acknowledge pressed in Slack acknowledges the incident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/chat/slack/index.js';
import { FakeSlackApi } from '../fakes/slack-api-server.js';
import { requireSipp, runSipp } from '../helpers/sipp.js';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';

const DOMAIN = 'linewatch.test';
const SECRET = 'slack-signing-secret-for-tests';
const CHANNEL = 'C0ALERTS';
const UNIQUE = '0000000851';
const PASSWORD = 'slack-Loop-851';

async function until<T>(probe: () => T | Promise<T>, accept: (v: T) => boolean, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await probe();
  }
  return value;
}

describe('linewatch serve with Slack', { retry: 1 }, () => {
  let slack: FakeSlackApi;
  let lw: SpawnedLinewatch;

  beforeAll(async () => {
    requireSipp();
    slack = await FakeSlackApi.start();
    lw = await spawnLinewatch({
      env: {
        SIP_DOMAIN: DOMAIN,
        LOCALE: 'en',
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_ALERT_CHANNEL: CHANNEL,
        SLACK_API_URL: slack.apiUrl,
        RESTART_GRACE_S: '0',
      },
    });
    await lw.api('POST', '/accounts', { loginId: 'slack' });
    await lw.api('POST', '/circles', { number: '850000001', accountLoginId: 'slack' });
    expect((await lw.api('POST', '/uniques', { number: UNIQUE, circleNumber: '850000001', type: 'softphone', password: PASSWORD })).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await lw?.stop();
    await lw?.cleanup();
    await slack?.close();
  });

  async function signedPost(contentType: string, body: string) {
    const ts = Math.floor(Date.now() / 1000);
    return fetch(`${lw.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
      body,
    });
  }

  it('answers a signed /line status with the rendered status, and refuses a bad signature', async () => {
    const form = new URLSearchParams({
      command: '/line', text: `status ${UNIQUE}`, user_id: 'U1', user_name: 'sato', channel_id: CHANNEL, team_id: 'T1',
      response_url: slack.responseUrl('cmd-1'), trigger_id: 't',
    }).toString();
    const res = await signedPost('application/x-www-form-urlencoded', form);
    expect(res.status).toBe(200);
    const text = JSON.stringify(await res.json());
    expect(text).toContain(UNIQUE);
    expect(text).toMatch(/NOT registered/);
    const bad = await fetch(`${lw.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=deadbeef' },
      body: form,
    });
    expect(bad.status).toBe(401);
  });

  it('posts an alert on a wrong password, then edits it and replies in its thread on recovery', async () => {
    const refused = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: [{ unique: UNIQUE, domain: DOMAIN, password: 'wrong-password', expires: 600 }] });
    expect(refused.exitCode, refused.output).toBe(0);
    const posted = await until(() => slack.messages.filter((m) => m.channel === CHANNEL && !m.threadTs), (l) => l.length > 0, 10_000);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toMatch(/password/i);
    expect(JSON.stringify(posted[0]!.blocks)).toContain('alert_ack');

    const ok = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'udp', lines: [{ unique: UNIQUE, domain: DOMAIN, password: PASSWORD, expires: 600 }] });
    expect(ok.exitCode, ok.output).toBe(0);
    const edited = await until(() => slack.messages.find((m) => m.ts === posted[0]!.ts)!, (m) => m.edits > 0, 10_000);
    expect(edited.edits).toBeGreaterThan(0);
    const replies = await until(() => slack.messages.filter((m) => m.threadTs === posted[0]!.ts), (l) => l.length > 0, 10_000);
    expect(replies.length).toBeGreaterThan(0);
    const incidents = (await lw.api('GET', '/incidents')).body.incidents as { cause: string; state: string }[];
    expect(incidents.find((i) => i.cause === 'password_error')?.state).toBe('resolved');
  });

  it('acknowledges an incident when Acknowledge is pressed in Slack, and says who did it', async () => {
    const refused = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: [{ unique: UNIQUE, domain: DOMAIN, password: 'wrong-again', expires: 600 }] });
    expect(refused.exitCode, refused.output).toBe(0);
    const open = await until(
      () => lw.api('GET', '/incidents?state=open').then((r) => r.body.incidents as { id: number; cause: string }[]),
      (l) => l.some((i) => i.cause === 'password_error'),
      10_000,
    );
    const incident = open.find((i) => i.cause === 'password_error')!;
    const payload = {
      type: 'block_actions',
      user: { id: 'U2', username: 'tanaka', name: 'tanaka' },
      team: { id: 'T1' },
      channel: { id: CHANNEL },
      container: { type: 'message', channel_id: CHANNEL, message_ts: '1.0' },
      response_url: slack.responseUrl('ack-1'),
      trigger_id: 't',
      api_app_id: 'A1',
      token: 'x',
      actions: [{ action_id: 'alert_ack', block_id: 'b', type: 'button', value: String(incident.id), action_ts: '1' }],
    };
    const res = await signedPost('application/x-www-form-urlencoded', new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(res.status).toBe(200);
    const state = await until(() => lw.api('GET', `/incidents/${incident.id}`).then((r) => r.body), (b) => b.state === 'acknowledged', 5000);
    expect(state.state).toBe('acknowledged');
    expect(JSON.stringify(state)).toContain('tanaka');
    const response = await until(() => slack.responses.filter((r) => r.id === 'ack-1'), (l) => l.length > 0, 5000);
    expect(JSON.stringify(response[0]!.body)).toMatch(/tanaka/);
  });
});
