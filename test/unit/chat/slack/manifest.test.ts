import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMANDS } from '../../../../src/chat/slack/commands.js';

interface Manifest {
  features: { slash_commands: { command: string; url: string; usage_hint: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(new URL('../../../../slack/manifest.yml', import.meta.url), 'utf8')) as Manifest;

describe('slack/manifest.yml', () => {
  it('declares exactly the slash commands the app listens to, on /slack/events', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...SLASH_COMMANDS].sort());
    for (const c of manifest.features.slash_commands) expect(c.url).toBe('https://YOUR_HOST/slack/events');
  });

  it('enables interactivity on the same URL and defaults to HTTP mode', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR_HOST/slack/events' });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks for the bot scopes the adapter uses', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      ['channels:history', 'chat:write', 'chat:write.public', 'commands', 'groups:history', 'im:write', 'users:read'].sort(),
    );
  });
});
