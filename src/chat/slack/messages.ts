import { defineMessages } from '../../domain/index.js';

/** Texts the Slack renderers add around the command layer's already-localized view models. */
export const slackMessages = defineMessages({
  andMore: { ja: '…ほか {count} 件', en: '…and {count} more' },
  bindings: { ja: '登録中のコンタクト', en: 'Bindings' },
  lastError: { ja: '最新のエラー', en: 'Latest error' },
  tips: { ja: '対処のヒント', en: 'Tips' },
  openIncidents: { ja: '対応中のアラート', en: 'Open incidents' },
  incidentRef: { ja: 'インシデント #{id}', en: 'Incident #{id}' },
  queriedExternally: { ja: 'ログインサーバに今問い合わせた結果です', en: 'Status queried from the login server just now' },
  timeline: { ja: '履歴', en: 'Timeline' },
  audit: { ja: '対応の記録', en: 'Incident actions' },
  noEvents: { ja: 'イベントはありません', en: 'No events' },
  noLines: { ja: '該当するユニークはありません', en: 'No matching uniques' },
  typeFilter: { ja: '種別で絞り込み: {type}', en: 'Filtered by type: {type}' },
  page: { ja: '{page} / {pageCount} ページ', en: 'Page {page} of {pageCount}' },
  previousPage: { ja: '◀ 前へ', en: '◀ Previous' },
  nextPage: { ja: '次へ ▶', en: 'Next ▶' },
  pressedBy: { ja: '{user} が操作: {confirmation}', en: '{user}: {confirmation}' },
  sharedBy: { ja: '{user} が共有しました', en: 'Shared by {user}' },
  staleButton: {
    ja: 'このボタンは古くなっています。コマンドをもう一度実行してください。',
    en: 'This button is out of date. Please run the command again.',
  },
  working: { ja: '確認しています…', en: 'Checking…' },
  failed: {
    ja: '処理中にエラーが発生しました。しばらくしてからもう一度お試しください。',
    en: 'Something went wrong. Please try again in a moment.',
  },
});
