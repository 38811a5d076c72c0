/**
 * Guarantee: `/slack/events` and `/discord/interactions` on the real process refuse with 401 every
 * request whose signature is missing, wrong, made for other bytes, or dated outside the 5-minute
 * window (a replay), in the past or the future; oversized bodies get 413; and the signing secret
 * and bot token never reach the log. A correctly signed request passes (control).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/chat/slack/index.js';
import { FakeSlackApi } from '../fakes/slack-api-server.js';
import { postOversized } from '../helpers/oversize-request.js';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';
import { keepLogs } from './support/harness.js';

const SLACK_SECRET = 'reliability-slack-signing-secret-42';
const SLACK_TOKEN = 'xoxb-reliability-bot-token-42';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const DISCORD_PUBLIC_KEY = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
const SIX_MINUTES_S = 6 * 60;

describe('chat endpoints refuse unsigned, tampered and replayed requests', { retry: 1 }, () => {
  let slack: FakeSlackApi;
  let lw: SpawnedLinewatch;

  beforeAll(async () => {
    slack = await FakeSlackApi.start();
    lw = await spawnLinewatch({
      env: {
        LOG_LEVEL: 'debug',
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_PUBLIC_KEY,
        DISCORD_APPLICATION_ID: '123456789012345678',
      },
    });
  }, 120_000);

  afterAll(async () => {
    keepLogs(lw, 'chat-signatures');
    await lw?.stop('SIGKILL');
    await lw?.cleanup();
    await slack?.close();
  });

  const slackPost = (body: string, headers: Record<string, string>) =>
    fetch(`${lw.baseUrl}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status);
  const slackSigned = (body: string, ts: number, signedBody = body) => slackPost(body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SLACK_SECRET, ts, signedBody) });

  it('Slack: a signed request passes; missing, wrong, tampered, stale and future signatures get 401; 2 MiB gets 413', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'url_verification', challenge: 'reliability-challenge', token: 'x' });
    expect(await slackSigned(body, now), 'control: correctly signed').toBe(200);
    const refused = {
      missing: await slackPost(body, {}),
      wrongSecret: await slackPost(body, { 'x-slack-request-timestamp': String(now), 'x-slack-signature': signSlackRequest('another-secret', now, body) }),
      garbage: await slackPost(body, { 'x-slack-request-timestamp': String(now), 'x-slack-signature': 'v0=deadbeef' }),
      tampered: await slackSigned(body.replace('reliability-challenge', 'evil-challenge'), now, body),
      replayOld: await slackSigned(body, now - SIX_MINUTES_S),
      future: await slackSigned(body, now + SIX_MINUTES_S),
    };
    expect(refused).toEqual({ missing: 401, wrongSecret: 401, garbage: 401, tampered: 401, replayOld: 401, future: 401 });
    const big = JSON.stringify({ type: 'event_callback', pad: 'p'.repeat(2 * 1024 * 1024) });
    const bigHeaders = { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now), 'x-slack-signature': signSlackRequest(SLACK_SECRET, now, big) };
    expect(await postOversized(lw.baseUrl, '/slack/events', bigHeaders, big)).toBe(413);
  });

  const discordPost = (body: string, headers: Record<string, string>) =>
    fetch(`${lw.baseUrl}/discord/interactions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const discordSigned = (body: string, ts: number, signedBody = body) =>
    discordPost(body, { 'x-signature-timestamp': String(ts), 'x-signature-ed25519': sign(null, Buffer.from(String(ts) + signedBody), privateKey).toString('hex') });

  it('Discord: a signed PING passes; missing, wrong, tampered, stale and future signatures get 401; 1 MiB gets 413', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ping = JSON.stringify({ id: '1', application_id: '123456789012345678', type: 1, token: 't', version: 1 });
    const control = await discordSigned(ping, now);
    expect(control.status, 'control: correctly signed PING').toBe(200);
    expect(JSON.parse(control.text)).toEqual({ type: 1 });
    const other = generateKeyPairSync('ed25519').privateKey;
    const refused = {
      missing: (await discordPost(ping, {})).status,
      wrongKey: (await discordPost(ping, { 'x-signature-timestamp': String(now), 'x-signature-ed25519': sign(null, Buffer.from(String(now) + ping), other).toString('hex') })).status,
      garbage: (await discordPost(ping, { 'x-signature-timestamp': String(now), 'x-signature-ed25519': 'zz' })).status,
      tampered: (await discordSigned(ping.replace('"t"', '"u"'), now, ping)).status,
      replayOld: (await discordSigned(ping, now - SIX_MINUTES_S)).status,
      future: (await discordSigned(ping, now + SIX_MINUTES_S)).status,
    };
    expect(refused).toEqual({ missing: 401, wrongKey: 401, garbage: 401, tampered: 401, replayOld: 401, future: 401 });
    const big = JSON.stringify({ type: 2, pad: 'p'.repeat(1024 * 1024) });
    const bigHeaders = { 'content-type': 'application/json', 'x-signature-timestamp': String(now), 'x-signature-ed25519': sign(null, Buffer.from(String(now) + big), privateKey).toString('hex') };
    expect(await postOversized(lw.baseUrl, '/discord/interactions', bigHeaders, big)).toBe(413);
  });

  it('never logs the Slack signing secret or the bot token', () => {
    const logs = lw.logs();
    expect(logs).toContain('slack signature rejected');
    expect([SLACK_SECRET, SLACK_TOKEN].filter((s) => logs.includes(s))).toEqual([]);
  });
});
