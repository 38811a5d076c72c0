import { defineMessages } from '../domain/index.js';

export const cliMessages = defineMessages({
  status: { ja: '状態', en: 'Status' },
  registered: { ja: 'レジスト中', en: 'registered' },
  not_registered: { ja: '未レジスト', en: 'NOT registered' },
  unsupported: { ja: '状態表示非対応', en: 'not supported for this type' },
  unknown: { ja: '不明（?）', en: 'unknown (?)' },
  unique: { ja: 'ユニーク', en: 'Unique' },
  circle: { ja: 'サークル', en: 'Circle' },
  type: { ja: '種別', en: 'Type' },
  loginServer: { ja: 'ログインサーバ', en: 'Login server' },
  lastRegister: { ja: '最終REGIST受信', en: 'Last REGISTER' },
  never: { ja: '受信なし', en: 'never received' },
  binding: { ja: '登録', en: 'Binding' },
  expires: { ja: '有効期限', en: 'expires' },
  lastError: { ja: '最新のエラー', en: 'Latest error' },
  tips: { ja: '対処', en: 'What to do' },
  noEvents: { ja: 'イベントはありません', en: 'no events' },
  counts: { ja: '件数', en: 'Counts' },
  demoIntro: {
    ja: 'デモ用のアカウント・サークル・ユニークを作成しました。ソフトフォンを次の設定で登録してください:',
    en: 'Created a demo account, circle and lines. Point a softphone at the registrar with:',
  },
  demoAfter: {
    ja: '確認: linewatch line status {unique} / linewatch circle status {circle}（サーバ起動中は API_TOKEN を設定）',
    en: 'Then: linewatch line status {unique} / linewatch circle status {circle} (with the server running, set API_TOKEN)',
  },
  demoExists: { ja: 'デモデータは既に存在します（サークル {circle}）。', en: 'Demo data already exists (circle {circle}).' },
});
