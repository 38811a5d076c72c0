/**
 * The platform-neutral shape of an incoming Discord interaction, and what we answer.
 *
 * @remarks
 * Both ways in produce an `InteractionRequest`: the HTTP endpoint from the raw JSON
 * (`fromApiInteraction` below), the gateway client from discord.js objects (`gateway-client.ts`).
 * The handler returns an `InteractionOutcome`; the HTTP endpoint sends it as the response body
 * (`toApiResponse`), the gateway client through `reply` / `update` / `respond`.
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIInteractionResponse,
} from 'discord.js';
import type { DiscordMessage } from './render.js';

export interface InteractionUser {
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
}

export type OptionValue = string | number | boolean;

interface Common {
  readonly user: InteractionUser;
  readonly channelId: string | null;
}

export type InteractionRequest =
  | (Common & { readonly kind: 'command'; readonly commandName: string; readonly subcommand: string | null; readonly options: Readonly<Record<string, OptionValue>> })
  | (Common & {
      readonly kind: 'autocomplete';
      readonly commandName: string;
      readonly subcommand: string | null;
      readonly focused: { readonly name: string; readonly value: string };
    })
  | (Common & { readonly kind: 'component'; readonly customId: string; readonly values: readonly string[]; readonly messageEphemeral: boolean });

export type InteractionOutcome =
  | { readonly type: 'reply'; readonly message: DiscordMessage; readonly ephemeral: boolean }
  | { readonly type: 'update'; readonly message: DiscordMessage }
  | { readonly type: 'choices'; readonly choices: readonly { readonly name: string; readonly value: string }[] };

/** The HTTP response body for an outcome (type 4, 7 or 8). */
export function toApiResponse(outcome: InteractionOutcome): APIInteractionResponse {
  switch (outcome.type) {
    case 'reply':
      return {
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { ...outcome.message, ...(outcome.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
      };
    case 'update':
      return { type: InteractionResponseType.UpdateMessage, data: outcome.message };
    case 'choices':
      return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [...outcome.choices] } };
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

function flattenOptions(options: readonly APIApplicationCommandInteractionDataOption[] | undefined): {
  subcommand: string | null;
  leaves: readonly APIApplicationCommandInteractionDataOption[];
} {
  const first = options?.[0];
  if (first && first.type === ApplicationCommandOptionType.Subcommand) return { subcommand: first.name, leaves: first.options ?? [] };
  if (first && first.type === ApplicationCommandOptionType.SubcommandGroup) {
    const sub = first.options[0];
    return { subcommand: sub ? `${first.name}.${sub.name}` : null, leaves: sub?.options ?? [] };
  }
  return { subcommand: null, leaves: options ?? [] };
}

/** Converts a raw interaction (HTTP body); null for kinds we do not handle (modals, user commands). */
export function fromApiInteraction(raw: APIInteraction): InteractionRequest | null {
  const rawUser = raw.member?.user ?? raw.user;
  if (!rawUser) return null;
  const common: Common = {
    user: { id: rawUser.id, username: rawUser.username, globalName: rawUser.global_name ?? null },
    channelId: raw.channel?.id ?? raw.channel_id ?? null,
  };
  switch (raw.type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete: {
      // Only slash commands; user and message context-menu commands are not ours.
      if (raw.data.type !== ApplicationCommandType.ChatInput) return null;
      const { subcommand, leaves } = flattenOptions('options' in raw.data ? (raw.data.options as APIApplicationCommandInteractionDataOption[] | undefined) : undefined);
      if (raw.type === InteractionType.ApplicationCommandAutocomplete) {
        const focused = leaves.find((o) => 'focused' in o && o.focused);
        if (!focused || !('value' in focused)) return null;
        return { ...common, kind: 'autocomplete', commandName: raw.data.name, subcommand, focused: { name: focused.name, value: String(focused.value) } };
      }
      const options: Record<string, OptionValue> = {};
      for (const o of leaves) if ('value' in o && o.value !== undefined) options[o.name] = o.value;
      return { ...common, kind: 'command', commandName: raw.data.name, subcommand, options };
    }
    case InteractionType.MessageComponent: {
      const values = 'values' in raw.data ? raw.data.values : [];
      const flags = raw.message?.flags ?? 0;
      return { ...common, kind: 'component', customId: raw.data.custom_id, values, messageEphemeral: (flags & MessageFlags.Ephemeral) !== 0 };
    }
    default:
      return null;
  }
}
