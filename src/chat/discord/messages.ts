/**
 * Texts the Discord adapter shows itself: command descriptions for registration and the few
 * labels the reply view models do not carry (pagination, thread names, fallbacks).
 */
import { defineMessages } from '../../domain/index.js';

export const discordMessages = defineMessages({
  lineDescription: { ja: '回線（ユニーク）の状態と履歴', en: 'Line (unique) status and history' },
  lineStatusDescription: { ja: 'ユニークのレジスト状態を表示', en: 'Show the registration status of a unique' },
  lineHistoryDescription: { ja: 'ユニークの最近のイベントを表示', en: 'Show the recent events of a unique' },
  lineWhyDescription: { ja: 'レジストされていない理由と対処を表示', en: 'Explain why a unique is not registered and what to do' },
  lineHelpDescription: { ja: 'コマンドの使い方', en: 'How to use the commands' },
  uniqueOptionDescription: { ja: 'ユニーク番号（10桁）', en: 'Unique number (10 digits)' },
  circleDescription: { ja: 'サークル（契約回線群）の状態', en: 'Circle status' },
  circleStatusDescription: { ja: 'サークル内の全ユニークの状態を表示', en: 'Show the status of every unique in a circle' },
  circleOptionDescription: { ja: 'サークル番号', en: 'Circle number' },
  typeOptionDescription: { ja: 'ユニーク種別で絞り込み', en: 'Only this unique type' },
  oncallDescription: { ja: '当番とエスカレーションポリシー', en: 'Who is on call and the escalation policy' },
  personOptionDescription: { ja: '当番を代わる人（指定すると交代）', en: 'Person taking over on call (sets an override)' },
  durationOptionDescription: { ja: '交代する時間（分）', en: 'Override duration in minutes' },
  oncallDurationRequired: {
    ja: '当番を交代するには person と duration（分）の両方を指定してください。',
    en: 'To override on call, give both person and duration (minutes).',
  },
  unknownInteraction: {
    ja: 'この操作は認識できません。もう一度コマンドを実行してください。',
    en: 'This action is not recognised; run the command again.',
  },
  internalError: {
    ja: '処理中にエラーが発生しました。しばらくしてからもう一度お試しください。',
    en: 'Something went wrong; please try again in a moment.',
  },
  pageOf: { ja: '{page} / {pageCount} ページ', en: 'Page {page} of {pageCount}' },
  previousPage: { ja: '前へ', en: 'Previous' },
  nextPage: { ja: '次へ', en: 'Next' },
  bindings: { ja: 'バインディング', en: 'Bindings' },
  lastError: { ja: '最新のエラー', en: 'Latest error' },
  tips: { ja: '対処方法', en: 'What to do' },
  openIncidents: { ja: '未解決のアラート', en: 'Open alerts' },
  counts: { ja: '集計', en: 'Totals' },
  typeFilter: { ja: '種別', en: 'Type' },
  audit: { ja: '対応履歴', en: 'Actions taken' },
  noEntries: { ja: '記録はありません', en: 'Nothing recorded' },
  queriedExternally: { ja: 'ログインサーバに問い合わせた結果です', en: 'Asked the login server just now' },
  registeredGlobal: {
    ja: 'コマンドを登録しました（全サーバ、反映まで最大1時間）: {names}',
    en: 'Registered commands globally (may take up to an hour to appear): {names}',
  },
  registeredGuild: { ja: 'サーバ {guild} にコマンドを登録しました: {names}', en: 'Registered commands in guild {guild}: {names}' },
  threadName: { ja: 'アラート #{id} の経過', en: 'Alert #{id} updates' },
});
