/**
 * Every text the on-call module shows, in Japanese and English. Notes go into alert threads and
 * direct messages; step lines are what `/oncall` lists for each policy.
 */
import { defineMessages } from '../domain/index.js';

export const oncallMessages = defineMessages({
  notifyChannel: {
    ja: '🔔 エスカレーション: インシデント #{id}（{cause}、{scope}）はまだ確認されていません。',
    en: '🔔 Escalation: incident #{id} ({cause}, {scope}) is not acknowledged yet.',
  },
  notifyChannelStart: {
    ja: '🔔 エスカレーションを開始しました（ポリシー {policy}）。確認（Acknowledge）すると止まります。',
    en: '🔔 Escalation started (policy {policy}). Acknowledge the incident to stop it.',
  },
  mention: {
    ja: '{names} さん、インシデント #{id}（{cause}、{scope}）の当番です。確認してください。',
    en: '{names}: you are on call for incident #{id} ({cause}, {scope}). Please acknowledge it.',
  },
  mentionNextLayer: {
    ja: '次の階層へエスカレーションします: {names} さん、インシデント #{id}（{cause}、{scope}）を確認してください。',
    en: 'Escalating to the next layer: {names}, please acknowledge incident #{id} ({cause}, {scope}).',
  },
  directMessage: {
    ja: 'あなたは当番です: インシデント #{id}（{cause}、{scope}）が {opened} から未確認です。',
    en: 'You are on call: incident #{id} ({cause}, {scope}) has been unacknowledged since {opened}.',
  },
  nobodyOnCall: {
    ja: '⚠️ スケジュール {schedule} には現在当番がいません。',
    en: '⚠️ Nobody is on call in schedule {schedule} right now.',
  },
  reminder: {
    ja: '⏰ リマインダー: インシデント #{id}（{cause}、{scope}）は確認済みですが、まだ解決していません。',
    en: '⏰ Reminder: incident #{id} ({cause}, {scope}) was acknowledged but is still open.',
  },
  pageSummary: {
    ja: 'linewatch: {cause}（{scope}）',
    en: 'linewatch: {cause} ({scope})',
  },
  noScope: { ja: '範囲なし', en: 'no scope' },
  stepNotifyChannel: { ja: 'チャンネルに通知', en: 'Notify the channel' },
  stepNotifyTargets: { ja: 'チャンネルに通知（{targets}）', en: 'Notify the channel ({targets})' },
  stepWait: { ja: '{minutes} 分待つ', en: 'Wait {minutes} min' },
  stepMention: { ja: '{schedule} の当番をチャンネルでメンション', en: 'Mention the on-call person of {schedule} in the channel' },
  stepDm: { ja: '{schedule} の当番にダイレクトメッセージ', en: 'Direct-message the on-call person of {schedule}' },
  stepPagePagerduty: { ja: 'PagerDuty で呼び出し', en: 'Page through PagerDuty' },
  stepPageGeneric: { ja: 'Webhook で呼び出し', en: 'Page through the webhook' },
  stepNextLayer: { ja: '{schedule} の次の階層に通知', en: 'Notify the next layer of {schedule}' },
  stepRepeat: { ja: '最初から繰り返す（最大 {times} 回）', en: 'Repeat from the first step (up to {times} times)' },
  stepRemind: { ja: '確認後 {minutes} 分ごとにリマインド（最大 {count} 回）', en: 'Remind every {minutes} min after acknowledgement (up to {count} times)' },
  stepAfterHoursWait: { ja: '営業時間外は営業開始まで待つ', en: 'Outside business hours: wait until business hours' },
  stepAfterHoursPage: { ja: '営業時間外もすぐに呼び出す', en: 'Outside business hours: page at once' },
  overrideLayer: { ja: 'オーバーライド', en: 'override' },
});
