/**
 * View models in both languages and a recording ChatService with fixed replies, for the Discord
 * adapter's tests (the real command layer is tested on its own).
 */
import type { Locale } from '../../../../src/domain/index.js';
import type { AlertView } from '../../../../src/alerts/index.js';
import type {
  AlertAction,
  ChatCommand,
  ChatContext,
  ChatReply,
  ChatService,
  CircleStatusReply,
  LineStatusReply,
  ParsedCommand,
  ReplyLabels,
} from '../../../../src/chat/commands/index.js';

const L = <T>(locale: Locale, ja: T, en: T): T => (locale === 'ja' ? ja : en);

export function labels(locale: Locale, title: string): ReplyLabels {
  return {
    title,
    fields: {},
    status: L(
      locale,
      { registered: 'レジスト中', not_registered: '未レジスト', unsupported: '非対応', unknown: '不明' },
      { registered: 'Registered', not_registered: 'Not registered', unsupported: 'Unsupported', unknown: 'Unknown' },
    ),
    postToChannel: L(locale, 'チャンネルに投稿', 'Post to channel'),
  };
}

export function lineStatusReply(locale: Locale): LineStatusReply {
  return {
    kind: 'line_status',
    document: {
      unique: '0000000773',
      circle: '123456789',
      type: 'sip_terminal',
      loginServer: 'sip3.example.net',
      status: 'not_registered',
      bindings: [],
      lastRegisterAt: '2026-11-26T08:00:00.000Z',
      lastError: null,
      tips: [L(locale, '端末がインターネットに正しく接続されているか確認してください。', 'Check that the phone is correctly connected to the internet.')],
    },
    labels: labels(locale, L(locale, 'ユニーク 0000000773', 'Line 0000000773')),
    headline: L(locale, 'このユニークはレジストされていません', 'This unique is NOT registered'),
    fields: [
      { label: L(locale, '種別', 'Type'), value: L(locale, 'SIP端末', 'SIP terminal') },
      { label: L(locale, 'ログインサーバ', 'Login server'), value: 'sip3.example.net' },
      { label: L(locale, '最終REGIST受信', 'Last REGISTER'), value: L(locale, '2026/11/26 17:00:00 JST', '2026-11-26 17:00:00 JST') },
    ],
    bindings: [],
    lastError: [
      { label: L(locale, '日時', 'At'), value: L(locale, '2026/11/26 17:05:00 JST', '2026-11-26 17:05:00 JST') },
      { label: L(locale, '内容', 'What'), value: L(locale, 'パスワード誤り', 'Wrong password') },
    ],
    queriedExternally: false,
    openIncidents: [{ id: 42, title: L(locale, '登録解除: 0000000773', 'Deregistered: 0000000773') }],
  };
}

export function circleReply(locale: Locale, page = 1, total = 60): CircleStatusReply {
  const pageSize = 25;
  const rows = Array.from({ length: Math.min(pageSize, total - (page - 1) * pageSize) }, (_, i) => {
    const n = (page - 1) * pageSize + i;
    const registered = n % 3 !== 0;
    return {
      unique: String(1000000000 + n).padStart(10, '0'),
      type: 'sip_terminal',
      typeLabel: L(locale, 'SIP端末', 'SIP terminal'),
      status: registered ? ('registered' as const) : ('not_registered' as const),
      mark: registered ? '●' : '×',
      lastRegisterAt: registered ? L(locale, '3分前', '3 min ago') : null,
    };
  });
  return {
    kind: 'circle_status',
    circle: '123456789',
    labels: labels(locale, L(locale, 'サークル 123456789', 'Circle 123456789')),
    fields: [{ label: L(locale, '契約者', 'Account'), value: 'acme' }],
    counts: { registered: 40, not_registered: 20, unsupported: 0, unknown: 0 },
    typeFilter: null,
    rows,
    page,
    pageCount: Math.ceil(total / pageSize),
    pageSize,
  };
}

export function alertView(locale: Locale, state: AlertView['state'] = 'open'): AlertView {
  return {
    incidentId: 42,
    cause: 'deregistered',
    severity: 'critical',
    state,
    title: L(locale, '🔴 登録解除: 0000000773（サークル 123456789）', '🔴 Deregistered: 0000000773 (circle 123456789)'),
    summary: L(locale, '端末のレジストが切れてから30秒経ちました。', 'The phone has not re-registered for 30 seconds.'),
    fields: [
      { label: L(locale, 'ユニーク', 'Unique'), value: '0000000773' },
      { label: L(locale, '送信元', 'Source'), value: '203.0.113.7:5062' },
      { label: 'User-Agent', value: 'Yealink SIP-T46U @everyone' },
    ],
    tips: [L(locale, '端末の電源とネットワークを確認してください。', 'Check the phone’s power and network.')],
    stateLine:
      state === 'acknowledged'
        ? L(locale, '佐藤が 2026/11/26 10:02 JST に対応開始', 'Acknowledged by Sato at 2026-11-26 10:02 JST')
        : state === 'resolved'
          ? L(locale, '2026/11/26 10:10 JST に復旧', 'Recovered at 2026-11-26 10:10 JST')
          : null,
    actions: state === 'resolved' ? ['history'] : state === 'acknowledged' ? ['resolve', 'snooze', 'history'] : ['ack', 'resolve', 'snooze', 'history'],
    mentions: [{ name: 'Sato', discordUserId: '1200000000000000100' }, { name: 'NOC', discordRoleId: '1200000000000000500' }, { name: 'Tanaka' }],
    labels: {
      ack: L(locale, '対応する', 'Acknowledge'),
      resolve: L(locale, '解決', 'Resolve'),
      snooze: L(locale, 'スヌーズ…', 'Snooze…'),
      history: L(locale, '履歴', 'History'),
      tips: L(locale, '対処方法', 'What to do'),
      snoozeChoices: L(locale, ['30分', '1時間', '4時間', '24時間'], ['30 min', '1 hour', '4 hours', '24 hours']),
    },
  };
}

/** Records every call; answers from the given functions. */
export class FakeChatService implements ChatService {
  readonly executed: { command: ChatCommand; ctx: ChatContext }[] = [];
  readonly acted: { action: AlertAction; ctx: ChatContext }[] = [];
  readonly completed: { kind: 'unique' | 'circle'; prefix: string }[] = [];

  constructor(
    readonly locale: Locale = 'ja',
    readonly answers: {
      execute?: (command: ChatCommand) => ChatReply | Promise<ChatReply>;
      act?: (action: AlertAction) => ChatReply | Promise<ChatReply>;
      complete?: (kind: 'unique' | 'circle', prefix: string) => string[];
    } = {},
  ) {}

  parse(): ParsedCommand {
    throw new Error('Discord never parses text');
  }

  async execute(command: ChatCommand, ctx: ChatContext): Promise<ChatReply> {
    this.executed.push({ command, ctx });
    if (this.answers.execute) return this.answers.execute(command);
    if (command.name === 'circle.status') return circleReply(this.locale, command.page ?? 1);
    return lineStatusReply(this.locale);
  }

  async act(action: AlertAction, ctx: ChatContext): Promise<ChatReply> {
    this.acted.push({ action, ctx });
    if (this.answers.act) return this.answers.act(action);
    const state = action.action === 'ack' ? 'acknowledged' : action.action === 'resolve' ? 'resolved' : action.action === 'snooze' ? 'snoozed' : 'open';
    return { kind: 'action', alert: alertView(this.locale, state), confirmation: 'ok' };
  }

  async complete(kind: 'unique' | 'circle', prefix: string): Promise<string[]> {
    this.completed.push({ kind, prefix });
    if (this.answers.complete) return this.answers.complete(kind, prefix);
    return Array.from({ length: 30 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
  }
}
