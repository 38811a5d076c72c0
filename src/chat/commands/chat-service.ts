/**
 * What chat adapters call. Implemented in `command-service.ts`; adapters depend on this interface
 * only, so tests can hand them a fake.
 */
import type { AlertAction, ChatCommand, ChatContext } from './chat-command.js';
import type { ChatReply } from './chat-reply.js';

export type ParsedCommand = { readonly ok: true; readonly command: ChatCommand } | { readonly ok: false; readonly reply: ChatReply };

export interface ChatService {
  /** Parses slash-command text (`/line status 0000000773` → command name `/line`, text `status 0000000773`). */
  parse(commandName: string, text: string): ParsedCommand;
  execute(command: ChatCommand, ctx: ChatContext): Promise<ChatReply>;
  /** Alert buttons: acknowledge, resolve, snooze, history. */
  act(action: AlertAction, ctx: ChatContext): Promise<ChatReply>;
  /** Unique or circle numbers starting with a prefix (Discord autocomplete). */
  complete(kind: 'unique' | 'circle', prefix: string, ctx: ChatContext): Promise<string[]>;
}
