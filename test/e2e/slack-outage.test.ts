/**
 * Slack failing for a while (429 with Retry-After, then 500s) must not lose, duplicate or reorder
 * alerts: the real `linewatch serve`, a fake Slack that refuses, then recovers. Every incident gets
 * exactly one message, and its edits and thread replies come after it. (The issue says "for
 * minutes"; the outbox's backoff is the same at any length, so the test scales the outage down.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api-server.js';
import { requireSipp, runSipp } from '../helpers/sipp.js';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';

const DOMAIN = 'linewatch.test';
const CHANNEL = 'C0OUTAGE';
const LINES = ['0000000871', '0000000872', '0000000873'];
const password = (unique: string) => `outage-Pass-${unique}`;

describe('Slack outage', { retry: 1 }, () => {
  let slack: FakeSlackApi;
  let lw: SpawnedLinewatch;

  beforeAll(async () => {
    requireSipp();
    slack = await FakeSlackApi.start();
    lw = await spawnLinewatch({
      env: {
        SIP_DOMAIN: DOMAIN,
        SLACK_BOT_TOKEN: 'xoxb-outage',
        SLACK_SIGNING_SECRET: 'outage-signing-secret',
        SLACK_ALERT_CHANNEL: CHANNEL,
        SLACK_API_URL: slack.apiUrl,
        RESTART_GRACE_S: '0',
      },
    });
    await lw.api('POST', '/accounts', { loginId: 'outage' });
    await lw.api('POST', '/circles', { number: '870000001', accountLoginId: 'outage' });
    for (const unique of LINES) await lw.api('POST', '/uniques', { number: unique, circleNumber: '870000001', type: 'sip_terminal', password: password(unique) });
  }, 180_000);

  afterAll(async () => {
    await lw?.stop();
    await lw?.cleanup();
    await slack?.close();
  });

  it('delivers every alert exactly once, in order per incident, after 429s and 500s', async () => {
    slack.failNext('chat.postMessage', 2, { kind: 'rate_limited', retryAfterSeconds: 1 });
    slack.failNext('chat.postMessage', 3, { kind: 'http', status: 500 });
    slack.failNext('chat.update', 2, { kind: 'http', status: 500 });
    const lines = (pw: (u: string) => string) => LINES.map((unique) => ({ unique, domain: DOMAIN, password: pw(unique), expires: 600 }));
    const refused = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: lines(() => 'wrong-password') });
    expect(refused.exitCode, refused.output).toBe(0);
    const ok = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'udp', lines: lines(password) });
    expect(ok.exitCode, ok.output).toBe(0);

    const topLevel = () => slack.messages.filter((m) => m.channel === CHANNEL && !m.threadTs);
    await slack.waitFor(() => topLevel().length >= LINES.length && topLevel().every((m) => m.edits > 0), 90_000);
    // Nothing arrives twice: a few more seconds of retries change nothing.
    await new Promise((r) => setTimeout(r, 3000));
    const posts = topLevel();
    expect(posts).toHaveLength(LINES.length);
    for (const unique of LINES) expect(posts.filter((m) => JSON.stringify(m.blocks).includes(unique))).toHaveLength(1);
    // In order per incident: each edit and thread reply refers to a message that was posted first.
    const calls = slack.calls.map((c, index) => ({ ...c, index }));
    for (const post of posts) {
      const postedAt = calls.findIndex((c) => c.method === 'chat.postMessage' && !c.params.thread_ts && JSON.stringify(c.params.blocks ?? '').includes(String(post.text).slice(0, 20)));
      const edits = calls.filter((c) => c.method === 'chat.update' && c.params.ts === post.ts);
      const replies = calls.filter((c) => c.method === 'chat.postMessage' && c.params.thread_ts === post.ts);
      expect(edits.length).toBeGreaterThan(0);
      for (const later of [...edits, ...replies]) expect(later.index).toBeGreaterThan(postedAt);
    }
    const incidents = (await lw.api('GET', '/incidents')).body.incidents as { cause: string; state: string; unique: string }[];
    for (const unique of LINES) expect(incidents.find((i) => i.unique === unique && i.cause === 'password_error')?.state).toBe('resolved');
  }, 150_000);
});
