/**
 * A small ChatService for the Slack adapter tests: fixed replies, and a record of every call.
 */
import type { AlertAction, ChatCommand, ChatContext, ChatReply, ChatService, ParsedCommand } from '../../../src/chat/commands/index.js';
import type { Locale } from '../../../src/domain/index.js';
import { actionReply, circleStatusReply, errorReply, helpReply, lineHistoryReply, lineStatusReply, oncallReply } from '../../unit/chat/slack/sample-replies.js';

export class FakeChatService implements ChatService {
  readonly parsed: { name: string; text: string }[] = [];
  readonly executed: { command: ChatCommand; ctx: ChatContext }[] = [];
  readonly acted: { action: AlertAction; ctx: ChatContext }[] = [];
  /** Delay before execute() answers, to exercise the "Checking…" path. */
  executeDelayMs = 0;

  constructor(private readonly locale: Locale) {}

  parse(name: string, text: string): ParsedCommand {
    this.parsed.push({ name, text });
    const [sub, arg, type] = text.trim().split(/\s+/);
    if (name === '/line' && sub === 'status' && arg) return { ok: true, command: { name: 'line.status', unique: arg } };
    if (name === '/line' && sub === 'history' && arg) return { ok: true, command: { name: 'line.history', unique: arg } };
    if (name === '/circle' && sub === 'status' && arg)
      return { ok: true, command: { name: 'circle.status', circle: arg, ...(type === 'sip_terminal' ? { type } : {}) } };
    if (name === '/oncall') return { ok: true, command: { name: 'oncall.show' } };
    if (name === '/line' && sub === 'help') return { ok: true, command: { name: 'line.help' } };
    return { ok: false, reply: errorReply(this.locale) };
  }

  async execute(command: ChatCommand, ctx: ChatContext): Promise<ChatReply> {
    this.executed.push({ command, ctx });
    if (this.executeDelayMs > 0) await new Promise((r) => setTimeout(r, this.executeDelayMs));
    switch (command.name) {
      case 'line.status':
        return lineStatusReply(this.locale);
      case 'line.history':
        return lineHistoryReply(this.locale);
      case 'circle.status':
        return circleStatusReply(this.locale, 8, command.page ?? 1, 3);
      case 'oncall.show':
      case 'oncall.override':
        return oncallReply(this.locale);
      case 'line.help':
      case 'line.why':
        return helpReply(this.locale);
      default: {
        const unreachable: never = command;
        throw new Error(`unexpected ${String(unreachable)}`);
      }
    }
  }

  async act(action: AlertAction, ctx: ChatContext): Promise<ChatReply> {
    this.acted.push({ action, ctx });
    return action.action === 'history' ? lineHistoryReply(this.locale) : actionReply(this.locale);
  }

  async complete(): Promise<string[]> {
    return [];
  }
}
