/**
 * Application command payloads for `/line`, `/circle` and `/oncall`, and their registration.
 *
 * @remarks
 * Names and options follow docs/contract.md: `/line` has subcommands status, history, why (each
 * with a required string option `unique`, autocompleted) and help; `/circle status` has a required
 * `circle` (autocompleted) and an optional `type` whose choices are the 15 type codes.
 * `/oncall` takes no subcommand: Discord makes a command with subcommands unusable on its own
 * ("Using subcommands or subcommand groups will make your base command unusable",
 * https://discord.com/developers/docs/interactions/application-commands#subcommands-and-subcommand-groups),
 * and the contract wants a bare `/oncall`. The optional `person` + `duration` options set an
 * override instead of an `override` subcommand.
 * Descriptions are English with Japanese `description_localizations`; option names stay English
 * because they are the contract's names.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { UNIQUE_TYPES, type LocalizedText } from '../../domain/index.js';
import { UNIQUE_TYPE_LABELS } from '../commands/index.js';
import { DiscordRegistrationError } from './errors.js';
import { discordMessages as m } from './messages.js';

type CommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

const describe = (text: LocalizedText) => ({ description: text.en, description_localizations: { ja: text.ja } });

/** Longest override accepted from chat: one week. */
export const MAX_OVERRIDE_MINUTES = 10_080;

const uniqueOption = {
  type: ApplicationCommandOptionType.String,
  name: 'unique',
  ...describe(m.uniqueOptionDescription),
  required: true,
  autocomplete: true,
  max_length: 32,
} as const;

/** The three commands as Discord's bulk-overwrite body. */
export function commandDefinitions(): CommandJson[] {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: 'line',
      ...describe(m.lineDescription),
      options: [
        { type: ApplicationCommandOptionType.Subcommand, name: 'status', ...describe(m.lineStatusDescription), options: [uniqueOption] },
        { type: ApplicationCommandOptionType.Subcommand, name: 'history', ...describe(m.lineHistoryDescription), options: [uniqueOption] },
        { type: ApplicationCommandOptionType.Subcommand, name: 'why', ...describe(m.lineWhyDescription), options: [uniqueOption] },
        { type: ApplicationCommandOptionType.Subcommand, name: 'help', ...describe(m.lineHelpDescription) },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'circle',
      ...describe(m.circleDescription),
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: 'status',
          ...describe(m.circleStatusDescription),
          options: [
            { type: ApplicationCommandOptionType.String, name: 'circle', ...describe(m.circleOptionDescription), required: true, autocomplete: true, max_length: 32 },
            {
              type: ApplicationCommandOptionType.String,
              name: 'type',
              ...describe(m.typeOptionDescription),
              required: false,
              choices: UNIQUE_TYPES.map((type) => ({ name: UNIQUE_TYPE_LABELS[type].en, name_localizations: { ja: UNIQUE_TYPE_LABELS[type].ja }, value: type })),
            },
          ],
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'oncall',
      ...describe(m.oncallDescription),
      options: [
        { type: ApplicationCommandOptionType.String, name: 'person', ...describe(m.personOptionDescription), required: false, max_length: 100 },
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'duration',
          ...describe(m.durationOptionDescription),
          required: false,
          min_value: 1,
          max_value: MAX_OVERRIDE_MINUTES,
        },
      ],
    },
  ];
}

export interface RegisterCommandsOptions {
  readonly rest: REST;
  readonly applicationId: string;
  /** Guild commands update instantly; global ones can take up to an hour to appear. */
  readonly guildId?: string;
}

/** Bulk-overwrites the commands (`PUT`): idempotent, removes commands we no longer define. */
export async function registerCommands(options: RegisterCommandsOptions): Promise<{ readonly names: string[]; readonly scope: 'global' | 'guild' }> {
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  try {
    const registered = (await options.rest.put(route, { body: commandDefinitions() })) as readonly { name: string }[];
    return { names: registered.map((c) => c.name), scope: options.guildId ? 'guild' : 'global' };
  } catch (error) {
    throw new DiscordRegistrationError(`Discord rejected the command registration: ${(error as Error).message}`, { cause: error });
  }
}
