import { defineMessages } from '../domain/index.js';

/** Texts shown when an external login server is asked for a line's status. */
export const externalMessages = defineMessages({
  timeout: {
    ja: 'ログインサーバ {loginServer} が {ms} ミリ秒以内に応答しませんでした。しばらくしてから再度お試しください',
    en: 'Login server {loginServer} did not answer within {ms} ms; try again in a moment',
  },
  unreachable: {
    ja: 'ログインサーバ {loginServer} が応答しませんでした（{url} に接続できません: {detail}）',
    en: 'Login server {loginServer} did not answer (cannot connect to {url}: {detail})',
  },
  httpStatus: {
    ja: 'ログインサーバ {loginServer} が問い合わせを拒否しました（HTTP {status}）。linewatch の接続設定を確認してください',
    en: 'Login server {loginServer} refused the query (HTTP {status}); check linewatch’s connection settings for it',
  },
  rpcError: {
    ja: 'ログインサーバ {loginServer} がエラーを返しました: {detail}',
    en: 'Login server {loginServer} answered with an error: {detail}',
  },
  badAnswer: {
    ja: 'ログインサーバ {loginServer} の応答を解釈できませんでした: {detail}',
    en: 'The answer of login server {loginServer} could not be understood: {detail}',
  },
  notConfigured: {
    ja: 'ログインサーバ {loginServer} には問い合わせ先が設定されていません',
    en: 'No registrar is configured to ask for login server {loginServer}',
  },
  adapterFailed: {
    ja: 'ログインサーバ {loginServer} への問い合わせが内部エラーで失敗しました',
    en: 'Asking login server {loginServer} failed with an internal error',
  },
});
