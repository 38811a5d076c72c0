import { defineMessages } from '../i18n/index.js';

/** Texts of the status document: the facts of the portal guide, in our own words. */
export const statusMessages = defineMessages({
  registered: { ja: 'このユニークはレジスト中です', en: 'This unique is registered' },
  notRegistered: { ja: 'このユニークはレジストされていません', en: 'This unique is NOT registered' },
  unsupported: {
    ja: 'このユニーク種別はレジスト状態を表示できません（{type}）',
    en: 'Registration status is not available for this unique type ({type})',
  },
  unknown: {
    ja: 'ログインサーバ {loginServer} の状態は問い合わせるまで不明です（?）',
    en: 'Status on login server {loginServer} is unknown until queried (?)',
  },
  lastRegisterAt: { ja: '最終REGIST受信: {at}', en: 'Last REGISTER received: {at}' },
  neverRegistered: { ja: 'REGISTを一度も受信していません', en: 'No REGISTER has ever been received' },
  errorAuthFailed: {
    ja: '{method}に含まれる認証パスワードが誤っているため、認証に失敗しました',
    en: 'The authentication password in the {method} was wrong, so authentication failed',
  },
  errorUnknownUnique: {
    ja: '{method}のユーザ名 {unique} は登録されていないユニーク番号です',
    en: 'The user name {unique} in the {method} is not a provisioned unique number',
  },
  errorIntervalTooBrief: {
    ja: '端末が最小値 {min} 秒より短い登録間隔（{requested} 秒）を要求したため拒否しました（423）',
    en: 'The phone asked for a registration interval ({requested} s) below the minimum of {min} s, so it was refused (423)',
  },
  errorRejected: { ja: '{method}を拒否しました: {reason}', en: 'The {method} was refused: {reason}' },
  errorBlocked: {
    ja: '送信元 {source} は認証失敗が多すぎるため一時的に遮断されています',
    en: 'Source {source} is temporarily blocked after too many failed authentications',
  },
  tipCheckInternet: {
    ja: '端末がインターネットに正しく接続されているか確認してください。',
    en: 'Check that the phone is correctly connected to the internet.',
  },
  tipCheckSettings: {
    ja: '接続されている場合も、端末に設定したユニーク番号（{unique}）とログインサーバ名（{loginServer}）が誤っている可能性があります。端末の設定を確認してください。',
    en: 'Even when it is connected, the unique number ({unique}) or the login server name ({loginServer}) configured on the phone may be wrong: check the phone settings.',
  },
  tipWrongPassword: {
    ja: '端末に設定された端末パスワードが誤っている可能性があります。',
    en: 'The terminal password configured on the phone is probably wrong.',
  },
  tipOverwritePassword: {
    ja: 'パスワードが分からない場合は上書きしてください: `linewatch line password {unique}` または PUT /api/v1/uniques/{unique}/password',
    en: 'If the password is lost, overwrite it: `linewatch line password {unique}` or PUT /api/v1/uniques/{unique}/password',
  },
  tipOldPasswordAfterChange: {
    ja: 'パスワードは {changedAt} に変更されましたが、端末はまだ古いパスワードを送っています。端末に新しいパスワードを設定してください。',
    en: 'The password was changed at {changedAt} and the phone still sends the old one: enter the new password on the phone.',
  },
  tipUnknownUnique: {
    ja: '端末に設定されたユニーク番号 {unique} は存在しません。端末の設定（ユーザ名/認証ID）を確認してください。',
    en: 'The unique number {unique} configured on the phone does not exist: check the user name / auth ID on the phone.',
  },
  tipIntervalTooBrief: {
    ja: '端末の登録間隔（Expires）を {min} 秒以上に設定してください。',
    en: 'Set the phone registration interval (Expires) to {min} seconds or more.',
  },
  tipNeverRegistered: {
    ja: 'プロビジョニング後、一度もレジストされていません。端末の設定が行われたか確認してください。',
    en: 'Provisioned but never registered: check that the phone has been set up at all.',
  },
  tipUnsupported: {
    ja: 'この種別はレジストを行わないため、状態は表示されません。',
    en: 'This type does not register, so there is no status to show.',
  },
  tipUnknown: {
    ja: '外部ログインサーバの回線です。`/line status {unique}` で問い合わせると状態が分かります。',
    en: 'This line is on an external login server: `/line status {unique}` asks it for the current state.',
  },
});
