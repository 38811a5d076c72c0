/**
 * Black box with Discord: the real `linewatch serve` connected to a local fake Discord (REST and
 * gateway), real SIPp phones. An agent's `/line status` is answered through the gateway; a wrong
 * password posts an alert with buttons in the alert channel; recovery edits it and writes in its thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscordServer, interactionPayload } from '../fakes/discord-api-server.js';
import { requireSipp, runSipp } from '../helpers/sipp.js';
import { spawnLinewatch, type SpawnedLinewatch } from '../helpers/spawn-linewatch.js';

const DOMAIN = 'linewatch.test';
const CHANNEL = '1200000000000000999';
const UNIQUE = '0000000861';
const PASSWORD = 'discord-Loop-861';

describe('linewatch serve with Discord', { retry: 1 }, () => {
  let discord: FakeDiscordServer;
  let lw: SpawnedLinewatch;

  beforeAll(async () => {
    requireSipp();
    discord = await FakeDiscordServer.start({ channels: [CHANNEL] });
    lw = await spawnLinewatch({
      env: {
        SIP_DOMAIN: DOMAIN,
        LOCALE: 'en',
        DISCORD_TOKEN: 'discord-test-token',
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_ALERT_CHANNEL_ID: CHANNEL,
        DISCORD_API_URL: discord.apiUrl,
        RESTART_GRACE_S: '0',
      },
    });
    await lw.api('POST', '/accounts', { loginId: 'discord' });
    await lw.api('POST', '/circles', { number: '860000001', accountLoginId: 'discord' });
    expect((await lw.api('POST', '/uniques', { number: UNIQUE, circleNumber: '860000001', type: 'smartphone', password: PASSWORD })).status).toBe(201);
    await discord.waitFor(() => discord.gateway.identifies >= 1, 30_000);
  }, 180_000);

  afterAll(async () => {
    await lw?.stop();
    await lw?.cleanup();
    await discord?.close();
  });

  it('answers /line status through the gateway with the rendered reply', async () => {
    discord.dispatchInteraction(
      interactionPayload({
        id: '1300000000000000001',
        type: 2,
        applicationId: discord.applicationId,
        data: { id: '1300000000000000002', name: 'line', type: 1, options: [{ type: 1, name: 'status', options: [{ type: 3, name: 'unique', value: UNIQUE }] }] },
      }),
    );
    await discord.waitFor(() => discord.interactionCallbacks.length >= 1, 10_000);
    const callback = discord.interactionCallbacks[0]!;
    expect(callback.body.type).toBe(4);
    expect(JSON.stringify(callback.body.data)).toContain(UNIQUE);
  });

  it('posts an alert with buttons on a wrong password, then edits it and writes in its thread on recovery', async () => {
    const refused = await runSipp({ scenario: 'register-refused', port: lw.sipPort, transport: 'udp', lines: [{ unique: UNIQUE, domain: DOMAIN, password: 'wrong-password', expires: 600 }] });
    expect(refused.exitCode, refused.output).toBe(0);
    await discord.waitFor(() => discord.messagesIn(CHANNEL).length >= 1, 10_000);
    const [alert] = discord.messagesIn(CHANNEL);
    expect(JSON.stringify(alert!.embeds)).toMatch(/password/i);
    expect(JSON.stringify(alert!.components)).toContain('alert:ack:');

    const ok = await runSipp({ scenario: 'register', port: lw.sipPort, transport: 'udp', lines: [{ unique: UNIQUE, domain: DOMAIN, password: PASSWORD, expires: 600 }] });
    expect(ok.exitCode, ok.output).toBe(0);
    await discord.waitFor(() => (discord.messages.get(alert!.id)?.edits ?? 0) > 0, 10_000);
    await discord.waitFor(() => discord.threads.size >= 1, 10_000);
    expect([...discord.threads.values()][0]!.parentId).toBe(CHANNEL);
  });
});
