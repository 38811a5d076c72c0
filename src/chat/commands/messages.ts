/**
 * Every text the chat command layer shows, in Japanese and English. Time values are formatted by
 * `createTimeFormatter` before they are placed into these messages.
 */
import { defineMessages } from '../../domain/index.js';

export const chatMessages = defineMessages({
  // Usage and parse errors: say what to type.
  usageLineStatus: { ja: '使い方: /line status <ユニーク番号（10桁）>', en: 'Usage: /line status <unique number, 10 digits>' },
  usageLineHistory: { ja: '使い方: /line history <ユニーク番号（10桁）>', en: 'Usage: /line history <unique number, 10 digits>' },
  usageLineWhy: { ja: '使い方: /line why <ユニーク番号（10桁）>', en: 'Usage: /line why <unique number, 10 digits>' },
  usageCircleStatus: {
    ja: '使い方: /circle status <サークル番号> [種別コード] [page=ページ番号] [query]',
    en: 'Usage: /circle status <circle number> [type code] [page=N] [query]',
  },
  usageOncallOverride: {
    ja: '使い方: /oncall override <担当者> <期間。例: 30m, 2h, 1d>',
    en: 'Usage: /oncall override <person> <duration, e.g. 30m, 2h, 1d>',
  },
  notAUniqueNumber: { ja: '「{value}」はユニーク番号ではありません（数字のみ）。', en: '"{value}" is not a unique number (digits only).' },
  notACircleNumber: { ja: '「{value}」はサークル番号ではありません（数字のみ）。', en: '"{value}" is not a circle number (digits only).' },
  badDuration: {
    ja: '「{value}」は期間として読めません（1分〜30日、例: 30m, 2h, 1d）。',
    en: '"{value}" is not a duration (1 minute to 30 days, e.g. 30m, 2h, 1d).',
  },
  badPage: { ja: '「{value}」はページ番号ではありません。', en: '"{value}" is not a page number.' },
  unexpectedArgument: { ja: '余分な引数「{value}」があります。', en: 'Unexpected argument "{value}".' },
  unknownSubcommand: {
    ja: '{command} にサブコマンド「{sub}」はありません。/line help で一覧を表示します。',
    en: '{command} has no subcommand "{sub}". Type /line help for the list.',
  },
  unknownCommand: {
    ja: 'コマンド {command} はありません。使えるのは /line、/circle、/oncall です。',
    en: 'There is no command {command}. Available: /line, /circle, /oncall.',
  },
  unknownType: { ja: '種別コード「{type}」はありません。有効な種別コード: {codes}', en: 'Unknown type code "{type}". Valid type codes: {codes}' },

  // Errors from the use cases.
  uniqueNotFound: {
    ja: 'ユニーク {unique} は存在しません。番号を確認してください。',
    en: 'Unique {unique} does not exist. Check the number.',
  },
  circleNotFound: {
    ja: 'サークル {circle} は存在しません。番号を確認してください。',
    en: 'Circle {circle} does not exist. Check the number.',
  },
  incidentNotFound: { ja: 'インシデント #{id} は見つかりません。', en: 'Incident #{id} was not found.' },
  incidentResolved: {
    ja: 'インシデント #{id} はすでに解決済みです。操作は不要です。',
    en: 'Incident #{id} is already resolved; nothing to do.',
  },
  invalidSnooze: { ja: 'スヌーズ時間は次のいずれかです: {choices}', en: 'Snooze for one of: {choices}' },
  oncallNotConfigured: {
    ja: 'オンコールが設定されていません（ONCALL_CONFIG を設定してください）。',
    en: 'On-call is not configured (set ONCALL_CONFIG).',
  },
  personNotFound: { ja: '「{query}」に該当する担当者はいません。', en: 'No person matches "{query}".' },
  personAmbiguous: {
    ja: '「{query}」に該当する担当者が複数います: {candidates}。絞り込んでください。',
    en: '"{query}" matches several people: {candidates}. Be more specific.',
  },
  noSchedule: { ja: '代行を設定できるスケジュールがありません。', en: 'There is no schedule to override.' },
  forbidden: {
    ja: 'このコマンドはこのチャンネルでは使えません。',
    en: 'This command is not available in this channel.',
  },
  invalidInput: { ja: '入力が正しくありません: {message}', en: 'Invalid input: {message}' },
  retentionBoth: {
    ja: '更新（refresh）は {refresh} 日、その他のイベントは {events} 日保存されます（種類ごとの最新のものは常に残ります）。',
    en: 'Refreshes are kept {refresh} days and other events {events} days (the newest of each kind always stays).',
  },
  retentionAll: {
    ja: 'イベントは {events} 日保存されます（種類ごとの最新のものは常に残ります）。',
    en: 'Events are kept {events} days (the newest of each kind always stays).',
  },
  retentionRefreshOnly: {
    ja: '更新（refresh）は {refresh} 日保存されます（最新のものは常に残ります）。その他のイベントは削除されません。',
    en: 'Refreshes are kept {refresh} days (the newest always stays); other events are never deleted.',
  },
  unavailable: {
    ja: 'linewatch のデータベースが応答しないため、いまは表示できません。電話機の登録は止まっていません（登録はメモリで受け付けています）。1 分ほどしてから再度お試しください。続く場合は linewatch の運用担当に PostgreSQL と /readyz の確認を依頼してください。',
    en: "linewatch's database is not answering, so this cannot be shown right now. Phones keep registering (the registrar answers them from memory). Try again in a minute; if this persists, ask whoever runs linewatch to check PostgreSQL and /readyz.",
  },
  liveRegistered: {
    ja: 'レジストラのメモリ上では、ユニーク {unique} は現在レジスト中です（{bindings}、有効期限 {expires}、送信元 {source}）。',
    en: "In the registrar's memory, unique {unique} is registered now ({bindings}, expires {expires}, from {source}).",
  },
  oneBinding: { ja: '1 件', en: '1 binding' },
  bindingCount: { ja: '{count} 件', en: '{count} bindings' },
  liveNotRegistered: {
    ja: 'レジストラのメモリ上には、ユニーク {unique} の有効なレジストはありません（他のログインサーバーの回線はここでは登録されません）。',
    en: "The registrar's memory holds no live registration of unique {unique} (lines of other login servers do not register here).",
  },
  internal: {
    ja: '処理中にエラーが発生しました（記録済み）。しばらくしてから再度お試しください。',
    en: 'Something went wrong (the error was logged). Try again in a moment.',
  },

  // Titles and labels.
  titleLine: { ja: 'ユニーク {unique}', en: 'Unique {unique}' },
  titleHistory: { ja: 'ユニーク {unique} の履歴', en: 'History of unique {unique}' },
  titleWhy: { ja: 'ユニーク {unique} の診断', en: 'Diagnosis of unique {unique}' },
  titleCircle: { ja: 'サークル {circle}', en: 'Circle {circle}' },
  titleOncall: { ja: 'オンコール', en: 'On call' },
  titleHelp: { ja: 'linewatch のコマンド', en: 'linewatch commands' },
  postToChannel: { ja: 'チャンネルに投稿', en: 'Post to channel' },
  statusRegistered: { ja: 'レジスト中', en: 'Registered' },
  statusNotRegistered: { ja: '未レジスト', en: 'Not registered' },
  statusUnsupported: { ja: '状態表示対象外', en: 'Not supported' },
  statusUnknown: { ja: '不明', en: 'Unknown' },

  fieldStatus: { ja: '状態', en: 'Status' },
  fieldUnique: { ja: 'ユニーク', en: 'Unique' },
  fieldCircle: { ja: 'サークル', en: 'Circle' },
  fieldType: { ja: '種別', en: 'Type' },
  fieldLoginServer: { ja: 'ログインサーバ', en: 'Login server' },
  fieldLastRegister: { ja: '最終REGIST', en: 'Last REGISTER' },
  fieldExternal: { ja: '外部問い合わせ', en: 'External query' },
  fieldContact: { ja: 'Contact', en: 'Contact' },
  fieldSource: { ja: '送信元', en: 'Source' },
  fieldTransport: { ja: 'トランスポート', en: 'Transport' },
  fieldUserAgent: { ja: 'User-Agent', en: 'User-Agent' },
  fieldExpires: { ja: '有効期限', en: 'Expires' },
  fieldRegisteredAt: { ja: '登録日時', en: 'Registered at' },
  fieldBindings: { ja: 'バインディング', en: 'Bindings' },
  fieldLastError: { ja: '最新のエラー情報', en: 'Latest error' },
  fieldErrorAt: { ja: '日時', en: 'Time' },
  fieldCause: { ja: '原因', en: 'Cause' },
  fieldMethod: { ja: 'メソッド', en: 'Method' },
  fieldTips: { ja: '対処方法', en: 'What to do' },
  fieldOpenIncidents: { ja: '未解決のインシデント', en: 'Open incidents' },
  fieldEvents: { ja: 'イベント', en: 'Events' },
  fieldAudit: { ja: 'インシデントの記録', en: 'Incident log' },
  fieldAccount: { ja: 'アカウント', en: 'Account' },
  fieldUserInfo: { ja: '利用者情報', en: 'User info' },
  fieldDepartment: { ja: '部署・役職', en: 'Department' },
  fieldContactPerson: { ja: '担当者', en: 'Contact person' },
  fieldCircleState: { ja: '状態', en: 'State' },
  fieldAppliedOn: { ja: '申込日', en: 'Applied on' },
  fieldLines: { ja: 'ユニーク数', en: 'Uniques' },
  fieldTypeFilter: { ja: '種別で絞り込み', en: 'Type filter' },
  fieldPage: { ja: 'ページ', en: 'Page' },
  fieldLastResponse: { ja: '最後に送った応答', en: 'Last response sent' },
  fieldExpiry: { ja: '有効期限（要求→許可）', en: 'Expiry (requested → granted)' },
  fieldRefreshInterval: { ja: '更新間隔（学習値）', en: 'Refresh interval (learned)' },
  fieldNextRefresh: { ja: '次回の更新予定', en: 'Next expected refresh' },
  fieldNonce: { ja: 'nonce の状態', en: 'Nonce state' },
  fieldFlaps: { ja: '直近24時間の切断・復帰', en: 'Drops and returns in 24 h' },
  fieldSchedule: { ja: 'スケジュール', en: 'Schedule' },
  fieldNextHandoff: { ja: '次の交代', en: 'Next handoff' },
  fieldPolicy: { ja: 'エスカレーションポリシー', en: 'Escalation policy' },
  circleActive: { ja: '利用中', en: 'Active' },
  circleCancelled: { ja: '解約済', en: 'Cancelled' },
  circleOther: { ja: 'その他', en: 'Other' },

  // Values.
  none: { ja: 'なし', en: 'none' },
  notSet: { ja: '未設定', en: 'not set' },
  timeWithRelative: { ja: '{time}（{relative}）', en: '{time} ({relative})' },
  externalTimeout: { ja: 'タイムアウト', en: 'timeout' },
  externalUnreachable: { ja: '到達不能', en: 'unreachable' },
  externalError: { ja: 'エラー', en: 'error' },
  externalDidNotAnswer: {
    ja: 'ログインサーバ {server} から応答がありませんでした（{reason}）',
    en: 'Login server {server} did not answer ({reason})',
  },
  externalAskedNow: { ja: 'ログインサーバ {server} に今問い合わせました', en: 'Asked login server {server} just now' },
  externalRetryTip: {
    ja: '1分ほどしてから再度お試しください。続く場合はログインサーバ {server} の稼働状況を確認してください。',
    en: 'Try again in a minute; if it keeps failing, check that login server {server} is up.',
  },
  noLiveBinding: { ja: '有効なバインディングはありません', en: 'No live binding' },
  incidentLine: { ja: '#{id} {title}', en: '#{id} {title}' },
  seconds: { ja: '{n}秒', en: '{n} s' },
  minutes: { ja: '{n}分', en: '{n} min' },
  hoursMinutes: { ja: '{h}時間{m}分', en: '{h} h {m} min' },
  days: { ja: '{n}日', en: '{n} d' },

  // History.
  eventRegistered: { ja: 'レジスト成功', en: 'Registered (REGISTER accepted)' },
  eventRefreshed: { ja: 'レジスト更新', en: 'Registration refreshed' },
  eventUnregistered: { ja: '端末がレジストを解除（Expires: 0）', en: 'Unregistered by the phone (Expires: 0)' },
  eventExpired: { ja: '更新がなくバインディングが期限切れ', en: 'Binding expired without refresh' },
  eventAuthFailed: { ja: '認証失敗（パスワード誤り）', en: 'Authentication failed (wrong password)' },
  eventUnknownUnique: { ja: '存在しないユニーク番号での試行', en: 'Unknown unique number tried' },
  eventStaleNonce: { ja: 'nonce 期限切れ（正常。端末が再認証）', en: 'Stale nonce (normal: the phone re-authenticates)' },
  eventIntervalTooBrief: { ja: '登録間隔が短すぎるため拒否（423）', en: 'Interval too brief, refused (423)' },
  eventRejected: { ja: 'REGISTER を拒否', en: 'REGISTER refused' },
  eventBlocked: { ja: '送信元を一時遮断', en: 'Source temporarily blocked' },
  detailFrom: { ja: '送信元 {source}/{transport}', en: 'from {source}/{transport}' },
  detailUserAgent: { ja: 'UA {userAgent}', en: 'UA {userAgent}' },
  detailExpires: { ja: '有効期限 {granted}秒（要求 {requested}）', en: 'expires {granted} s (asked {requested})' },
  detailResponse: { ja: '応答 {code}', en: 'response {code}' },
  noEvents: { ja: 'レジストのイベントはまだありません', en: 'No registration events recorded yet' },
  auditOpened: { ja: 'インシデント発生', en: 'Incident opened' },
  auditRepeated: { ja: '再発', en: 'Repeated' },
  auditAcknowledged: { ja: '{actor} が確認', en: 'Acknowledged by {actor}' },
  auditSnoozed: { ja: '{actor} がスヌーズ', en: 'Snoozed by {actor}' },
  auditUnsnoozed: { ja: 'スヌーズ終了', en: 'Snooze ended' },
  auditResolved: { ja: '{actor} が解決', en: 'Resolved by {actor}' },
  auditEscalated: { ja: 'エスカレーション', en: 'Escalated' },
  auditOther: { ja: '{type}（{actor}）', en: '{type} by {actor}' },
  actorSystem: { ja: 'システム', en: 'system' },

  // Why.
  lastResponseValue: { ja: '{time} {method} に {code} を応答', en: '{code} to {method} at {time}' },
  expiryValue: { ja: '要求 {requested} → 許可 {granted}', en: '{requested} requested → {granted} granted' },
  expiryNotRequested: { ja: '指定なし', en: 'not specified' },
  refreshLearned: { ja: '約 {interval} ごと', en: 'about every {interval}' },
  refreshNotLearned: { ja: '未学習（REGISTER が2回未満）', en: 'not learned yet (fewer than two REGISTERs)' },
  nextRefreshOverdue: { ja: '{time}（{relative}、遅れています）', en: '{time} ({relative}, overdue)' },
  nonceNone: { ja: 'stale nonce なし', en: 'no stale nonce' },
  nonceStale: {
    ja: '最終 stale nonce: {time}（正常。端末は再認証します）',
    en: 'last stale nonce at {time} (normal: the phone re-authenticates)',
  },
  flapsValue: { ja: '期限切れ {expired}回・レジスト {registered}回', en: '{expired} expiries, {registered} registrations' },
  flapsWarning: { ja: '{value}（切断と復帰を繰り返しています）', en: '{value} (the line keeps dropping and returning)' },
  sourceValue: { ja: '{source}/{transport} {userAgent}', en: '{source}/{transport} {userAgent}' },

  // Circle.
  countsValue: {
    ja: '● {registered} レジスト中 · × {not_registered} 未レジスト · － {unsupported} 対象外 · ? {unknown} 不明',
    en: '● {registered} registered · × {not_registered} not registered · － {unsupported} not supported · ? {unknown} unknown',
  },
  pageValue: { ja: '{page} / {pageCount}', en: '{page} of {pageCount}' },
  noUniques: { ja: 'ユニークはありません', en: 'No uniques' },

  // On call.
  oncallHeadline: { ja: '現在のオンコール: {people}', en: 'On call now: {people}' },
  oncallNobody: { ja: '現在オンコールの担当者はいません', en: 'Nobody is on call now' },
  oncallLayer: { ja: '{layer}: {person}（{until} まで）', en: '{layer}: {person} until {until}' },
  oncallLayerOpenEnded: { ja: '{layer}: {person}', en: '{layer}: {person}' },
  oncallOverrideMark: { ja: '{person}（代行）', en: '{person} (override)' },
  oncallNoPerson: { ja: '不在', en: 'nobody' },
  oncallHandoff: { ja: '{time}（{relative}）{schedule}: {from} → {to}', en: '{time} ({relative}) {schedule}: {from} → {to}' },
  oncallScheduleTitle: { ja: 'スケジュール {schedule}', en: 'Schedule {schedule}' },
  oncallPolicyTitle: { ja: 'エスカレーションポリシー {policy}', en: 'Escalation policy {policy}' },
  oncallNoSchedules: { ja: 'スケジュールは設定されていません', en: 'No schedule is configured' },
  oncallOverrideDone: {
    ja: '{person} を {schedule} のオンコールに設定しました（{start} 〜 {end}、設定者 {actor}）',
    en: '{person} is on call for {schedule} from {start} until {end} (set by {actor})',
  },

  // Actions.
  acknowledgedBy: { ja: '{name} が確認しました', en: 'Acknowledged by {name}' },
  resolvedBy: { ja: '{name} が解決しました', en: 'Resolved by {name}' },
  snoozedBy: { ja: '{name} が {until} までスヌーズしました', en: 'Snoozed by {name} until {until}' },

  // Help.
  helpLineStatus: { ja: '回線のレジスト状態・端末・最新のエラーと対処方法', en: 'Registration status, device, latest error and what to do' },
  helpLineHistory: { ja: 'レジストの履歴とインシデントの記録', en: 'Registration timeline and incident log' },
  helpLineWhy: { ja: 'レジストしている／していない理由を1つの回答で', en: 'Why the line is (not) registered, in one answer' },
  helpCircleStatus: {
    ja: 'サークルの全ユニークの状態（● レジスト中 × 未レジスト － 対象外 ? 不明）。種別で絞り込み、query で ? を問い合わせ',
    en: 'Every unique of a circle with a mark (● registered × not registered － not supported ? unknown); filter by type, query asks for ?',
  },
  helpOncall: { ja: '現在のオンコール担当者とエスカレーションポリシー', en: 'Who is on call and the escalation policy' },
  helpOncallOverride: { ja: '一定時間オンコールを代行する', en: 'Put someone on call for a while' },
  helpHelp: { ja: 'このヘルプ', en: 'This help' },
  helpNumbers: {
    ja: '番号は全角数字・ハイフン・空白を含んでも構いません。/line <番号> は /line status と同じです',
    en: 'Numbers may contain full-width digits, hyphens and spaces. /line <number> is the same as /line status',
  },
  helpTypeCodes: { ja: '種別コード: {codes}', en: 'Type codes: {codes}' },
});

export type ChatMessageKey = keyof typeof chatMessages;
