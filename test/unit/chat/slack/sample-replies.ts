/**
 * Hand-built view models in Japanese and English, as the command layer and the alert engine
 * produce them, for renderer snapshots and the integration tests' fake ChatService.
 */
import type { AlertView } from '../../../../src/alerts/index.js';
import type { Locale, LineStatus } from '../../../../src/domain/index.js';
import type {
  ActionReply,
  CircleRow,
  CircleStatusReply,
  ErrorReply,
  HelpReply,
  LineHistoryReply,
  LineStatusReply,
  LineWhyReply,
  OncallReply,
  ReplyLabels,
} from '../../../../src/chat/commands/index.js';

const t = (locale: Locale, ja: string, en: string) => (locale === 'ja' ? ja : en);

export function labels(locale: Locale, title: string): ReplyLabels {
  return {
    title,
    fields: {},
    status: {
      registered: t(locale, 'レジスト中', 'Registered'),
      not_registered: t(locale, '未レジスト', 'Not registered'),
      unsupported: t(locale, '表示対象外', 'Unsupported'),
      unknown: t(locale, '不明', 'Unknown'),
    },
    postToChannel: t(locale, 'チャンネルに投稿', 'Post to channel'),
  };
}

export function lineStatusReply(locale: Locale, status: LineStatus = 'not_registered'): LineStatusReply {
  return {
    kind: 'line_status',
    document: {
      unique: '0000000773',
      circle: '123456789',
      type: 'sip_terminal',
      loginServer: 'sip3.example.net',
      status,
      bindings:
        status === 'registered'
          ? [{ contact: 'sip:0000000773@203.0.113.7:5062', source: '203.0.113.7:5062', transport: 'udp', userAgent: 'Yealink SIP-T46U <66.86>', expiresAt: '2026-11-26T08:48:05Z', registeredAt: '2026-11-26T08:38:05Z' }]
          : [],
      lastRegisterAt: '2026-11-26T08:38:05Z',
      lastError: { at: '2026-11-26T08:40:00Z', kind: 'auth_failed', method: 'REGISTER', source: '203.0.113.7:5062', userAgent: 'Yealink SIP-T46U', message: t(locale, '認証パスワードが誤っています', 'The password was wrong') },
      tips: [t(locale, '端末に設定したパスワードを確認してください', 'Check the password configured on the phone')],
    },
    labels: labels(locale, t(locale, 'ユニーク 0000000773', 'Line 0000000773')),
    headline: status === 'registered' ? t(locale, 'このユニークはレジスト中です', 'This unique is registered') : t(locale, 'このユニークはレジストされていません', 'This unique is NOT registered'),
    fields: [
      { label: t(locale, '最終REGIST受信', 'Last REGISTER'), value: t(locale, '2026/11/26 17:38:05 JST（2分前）', '2026-11-26 17:38:05 JST (2 min ago)') },
      { label: t(locale, '種別', 'Type'), value: t(locale, 'SIP端末', 'SIP terminal') },
      { label: t(locale, 'ログインサーバ', 'Login server'), value: 'sip3.example.net' },
      { label: t(locale, 'サークル', 'Circle'), value: '123456789' },
    ],
    bindings:
      status === 'registered'
        ? [[
            { label: 'Contact', value: 'sip:0000000773@203.0.113.7:5062' },
            { label: 'User-Agent', value: 'Yealink SIP-T46U <66.86>' },
          ]]
        : [],
    lastError: [
      { label: t(locale, '日時', 'At'), value: t(locale, '2026/11/26 17:40:00 JST', '2026-11-26 17:40:00 JST') },
      { label: t(locale, '内容', 'What'), value: t(locale, '認証パスワードが誤っています', 'The password was wrong') },
    ],
    queriedExternally: false,
    openIncidents: [{ id: 42, title: t(locale, 'パスワードエラー: 0000000773', 'Password error: 0000000773') }],
  };
}

export function circleRows(locale: Locale, count: number): CircleRow[] {
  const statuses: LineStatus[] = ['registered', 'not_registered', 'unsupported', 'unknown'];
  const marks = { registered: '●', not_registered: '×', unsupported: '－', unknown: '?' } as const;
  return Array.from({ length: count }, (_, i) => {
    const status = statuses[i % 4] as LineStatus;
    return {
      unique: String(773 + i).padStart(10, '0'),
      type: status === 'unsupported' ? 'ivr' : 'sip_terminal',
      typeLabel: status === 'unsupported' ? 'IVR' : t(locale, 'SIP端末', 'SIP terminal'),
      status,
      mark: marks[status],
      lastRegisterAt: status === 'registered' ? t(locale, '2026/11/26 17:38', '2026-11-26 17:38') : null,
    };
  });
}

export function circleStatusReply(locale: Locale, rowCount = 4, page = 1, pageCount = 1): CircleStatusReply {
  const rows = circleRows(locale, rowCount);
  return {
    kind: 'circle_status',
    circle: '123456789',
    labels: labels(locale, t(locale, 'サークル 123456789', 'Circle 123456789')),
    fields: [
      { label: t(locale, 'アカウント', 'Account'), value: 'acme' },
      { label: t(locale, '部署', 'Department'), value: t(locale, 'サポート部', 'Support') },
    ],
    counts: {
      registered: rows.filter((r) => r.status === 'registered').length,
      not_registered: rows.filter((r) => r.status === 'not_registered').length,
      unsupported: rows.filter((r) => r.status === 'unsupported').length,
      unknown: rows.filter((r) => r.status === 'unknown').length,
    },
    typeFilter: null,
    rows,
    page,
    pageCount,
    pageSize: 50,
  };
}

export function lineHistoryReply(locale: Locale): LineHistoryReply {
  return {
    kind: 'line_history',
    unique: '0000000773',
    labels: labels(locale, t(locale, 'ユニーク 0000000773 の履歴', 'History of 0000000773')),
    entries: [
      { at: t(locale, '2026/11/26 17:40:00', '2026-11-26 17:40:00'), type: 'auth_failed', text: t(locale, '認証失敗', 'Authentication failed'), mark: '⚠️', details: '203.0.113.7:5062 Yealink' },
      { at: t(locale, '2026/11/26 17:38:05', '2026-11-26 17:38:05'), type: 'registered', text: t(locale, 'レジスト', 'Registered'), mark: '🟢', details: '' },
    ],
    audit: [{ at: t(locale, '2026/11/26 17:45:00', '2026-11-26 17:45:00'), type: 'acknowledged', text: t(locale, '佐藤が確認', 'Acknowledged by Sato'), mark: '👀', details: '' }],
    retentionNote: t(locale, '更新（refresh）は 7 日、その他のイベントは 90 日保存されます（種類ごとの最新のものは常に残ります）。', 'Refreshes are kept 7 days and other events 90 days (the newest of each kind always stays).'),
  };
}

export function lineWhyReply(locale: Locale): LineWhyReply {
  return {
    kind: 'line_why',
    unique: '0000000773',
    labels: labels(locale, t(locale, 'ユニーク 0000000773 の診断', 'Why 0000000773')),
    headline: t(locale, 'パスワードが誤っている可能性があります', 'The password is probably wrong'),
    fields: [{ label: t(locale, '直近の失敗', 'Recent failures'), value: '12' }],
    tips: [t(locale, 'パスワードを再設定してください', 'Reset the password')],
  };
}

export function oncallReply(locale: Locale): OncallReply {
  return {
    kind: 'oncall',
    labels: labels(locale, t(locale, 'オンコール', 'On call')),
    headline: t(locale, '現在の当番: 佐藤', 'On call now: Sato'),
    sections: [{ title: t(locale, 'エスカレーション', 'Escalation'), lines: [t(locale, '5分後: 鈴木', 'after 5 min: Suzuki'), t(locale, '15分後: サポートチーム', 'after 15 min: support team')] }],
  };
}

export function helpReply(locale: Locale): HelpReply {
  return {
    kind: 'help',
    labels: labels(locale, t(locale, '使い方', 'Help')),
    lines: [
      { usage: '/line status <unique>', description: t(locale, 'レジスト状態', 'Registration status') },
      { usage: '/circle status <circle> [type]', description: t(locale, 'サークルの一覧', 'Circle overview') },
    ],
  };
}

export function errorReply(locale: Locale): ErrorReply {
  return { kind: 'error', code: 'CHAT_ERR_UNKNOWN_UNIQUE', message: t(locale, 'ユニーク 999 は見つかりません。`/line status <ユニーク番号>` と入力してください', 'Unique 999 was not found. Type `/line status <unique number>`') };
}

export function alertView(locale: Locale, overrides: Partial<AlertView> = {}): AlertView {
  return {
    incidentId: 42,
    cause: 'password_error',
    severity: 'critical',
    state: 'open',
    title: t(locale, '🔴 パスワードエラー: 0000000773（サークル 123456789）', '🔴 Password error: 0000000773 (circle 123456789)'),
    summary: t(locale, 'REGISTERの認証に5回失敗しました', 'REGISTER authentication failed 5 times'),
    fields: [
      { label: t(locale, 'ユニーク', 'Unique'), value: '0000000773' },
      { label: t(locale, 'サークル', 'Circle'), value: '123456789' },
      { label: t(locale, '日時', 'Time'), value: t(locale, '2026/11/26 17:40:00 JST', '2026-11-26 17:40:00 JST') },
      { label: t(locale, '送信元', 'Source'), value: '203.0.113.7:5062' },
      { label: 'User-Agent', value: 'Yealink SIP-T46U <66.86>' },
    ],
    tips: [t(locale, '端末のパスワードを確認してください', 'Check the password on the phone')],
    stateLine: null,
    actions: ['ack', 'resolve', 'snooze', 'history'],
    mentions: [{ name: 'Sato', slackUserId: 'U0SATO' }, { name: 'Support', slackUserGroupId: 'S0SUPPORT' }],
    labels: {
      ack: t(locale, '確認', 'Acknowledge'),
      resolve: t(locale, '解決', 'Resolve'),
      snooze: t(locale, 'スヌーズ', 'Snooze'),
      history: t(locale, '履歴', 'History'),
      tips: t(locale, '対処のヒント', 'Tips'),
      snoozeChoices: locale === 'ja' ? ['30分', '1時間', '4時間', '24時間'] : ['30 min', '1 h', '4 h', '24 h'],
    },
    ...overrides,
  };
}

export function actionReply(locale: Locale): ActionReply {
  return {
    kind: 'action',
    alert: alertView(locale, {
      state: 'acknowledged',
      stateLine: t(locale, '佐藤が 2026/11/26 17:45 JST に確認', 'Acknowledged by Sato at 2026-11-26 17:45 JST'),
      actions: ['resolve', 'snooze', 'history'],
      mentions: [],
    }),
    confirmation: t(locale, '確認しました', 'Acknowledged'),
  };
}
