/**
 * `linewatch discord register-commands [--guild <id>]`: the CLI entry the lead wires.
 */
import { translatorFor, type Locale } from '../../domain/index.js';
import { registerCommands } from './command-definitions.js';
import { createDiscordRest } from './discord-rest.js';
import { DiscordRegistrationError } from './errors.js';
import { discordMessages as m } from './messages.js';

export interface RegisterCommandsCliConfig {
  readonly token: string | undefined;
  readonly applicationId: string | undefined;
  readonly apiUrl: string | undefined;
  readonly locale: Locale;
}

/** Parses `--guild <id>` / `--guild=<id>`; anything else is a usage error. */
export function parseRegisterArgs(argv: readonly string[]): { readonly guildId?: string } {
  let guildId: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--guild') guildId = argv[++i];
    else if (arg.startsWith('--guild=')) guildId = arg.slice('--guild='.length);
    else throw new DiscordRegistrationError(`unknown argument ${arg}; usage: linewatch discord register-commands [--guild <id>]`);
    if (!guildId || !/^[0-9]{15,21}$/.test(guildId)) throw new DiscordRegistrationError('--guild needs a guild id (a Discord snowflake)');
  }
  return guildId ? { guildId } : {};
}

/** Registers the commands and returns one localized line to print. */
export async function registerCommandsCli(argv: readonly string[], config: RegisterCommandsCliConfig): Promise<string> {
  const { guildId } = parseRegisterArgs(argv);
  if (!config.token) throw new DiscordRegistrationError('DISCORD_TOKEN is required to register commands');
  if (!config.applicationId) throw new DiscordRegistrationError('DISCORD_APPLICATION_ID is required to register commands');
  const rest = createDiscordRest({ token: config.token, apiUrl: config.apiUrl });
  const result = await registerCommands({ rest, applicationId: config.applicationId, ...(guildId ? { guildId } : {}) });
  const t = translatorFor(config.locale);
  return t(result.scope === 'guild' ? m.registeredGuild : m.registeredGlobal, { names: result.names.map((n) => `/${n}`).join(' '), guild: guildId ?? '' });
}
