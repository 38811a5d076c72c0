import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandDefinitions, createDiscordRest, registerCommands, registerCommandsCli } from '../../../src/chat/discord/index.js';
import { FakeDiscordServer } from '../../fakes/discord-api-server.js';

describe('command registration against the fake REST API', () => {
  let fake: FakeDiscordServer;
  beforeEach(async () => {
    fake = await FakeDiscordServer.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('PUTs the global commands', async () => {
    const result = await registerCommands({ rest: createDiscordRest({ token: 't', apiUrl: fake.apiUrl }), applicationId: fake.applicationId });
    expect(result).toEqual({ names: ['line', 'circle', 'oncall'], scope: 'global' });
    expect(fake.commandPuts).toEqual([{ path: `/applications/${fake.applicationId}/commands`, body: commandDefinitions() }]);
  });

  it('the CLI registers guild commands with --guild', async () => {
    const line = await registerCommandsCli(['--guild', '1200000000000000300'], { token: 't', applicationId: fake.applicationId, apiUrl: fake.apiUrl, locale: 'en' });
    expect(line).toBe('Registered commands in guild 1200000000000000300: /line /circle /oncall');
    expect(fake.commandPuts[0]!.path).toBe(`/applications/${fake.applicationId}/guilds/1200000000000000300/commands`);
  });

  it('the CLI names the missing variable', async () => {
    await expect(registerCommandsCli([], { token: undefined, applicationId: '1', apiUrl: fake.apiUrl, locale: 'ja' })).rejects.toThrow(/DISCORD_TOKEN/);
    await expect(registerCommandsCli([], { token: 't', applicationId: undefined, apiUrl: fake.apiUrl, locale: 'ja' })).rejects.toThrow(/DISCORD_APPLICATION_ID/);
  });

  it('wraps a refusal in DiscordRegistrationError', async () => {
    fake.failNext({ count: 1, status: 403, code: 50001 });
    await expect(registerCommands({ rest: createDiscordRest({ token: 't', apiUrl: fake.apiUrl }), applicationId: fake.applicationId })).rejects.toMatchObject({
      code: 'CHAT_ERR_DISCORD_REGISTRATION',
    });
  });
});
