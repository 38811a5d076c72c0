import { defineMessages } from '../domain/index.js';

/** Alert texts: titles, summaries, field labels, state lines, notes, signature tips. */
export const alertMessages = defineMessages({
  // titles per cause ({scope} is the unique number, circle or IP)
  title_deregistered: { ja: '🔴 レジスト切れ: {scope}', en: '🔴 Deregistered: {scope}' },
  title_password_error: { ja: '🟠 パスワードエラー: {scope}', en: '🟠 Password error: {scope}' },
  title_unknown_unique: { ja: '🟠 存在しないユニーク番号への接続: {scope}', en: '🟠 Unknown unique number tried: {scope}' },
  title_at_risk: { ja: '🟡 レジスト更新の遅れ: {scope}', en: '🟡 Refresh late (at risk): {scope}' },
  title_flapping: { ja: '🟠 レジストの断続: {scope}', en: '🟠 Flapping registration: {scope}' },
  title_site_down: { ja: '🔴 拠点ダウンの可能性: {scope}', en: '🔴 Site down: {scope}' },
  title_security: { ja: '🛡️ セキュリティ: {scope}', en: '🛡️ Security: {scope}' },
  circleSuffix: { ja: '（サークル {circle}）', en: ' (circle {circle})' },
  scopeIp: { ja: 'IP {ip} の回線', en: 'lines behind {ip}' },
  scopeCircle: { ja: 'サークル {circle}', en: 'circle {circle}' },
  // summaries
  summary_deregistered: {
    ja: '端末のレジストが更新されずに期限切れとなり、{grace} 秒待っても再レジストがありません。この回線は発着信できません。',
    en: 'The phone stopped refreshing its registration; it expired and no re-registration came within {grace} s. The line cannot make or receive calls.',
  },
  summary_password_error: {
    ja: '{method} の認証パスワードが誤っているため認証に失敗しています（{count} 回）。',
    en: 'Authentication keeps failing because the password in the {method} is wrong ({count} times).',
  },
  summary_unknown_unique: {
    ja: '端末が存在しないユニーク番号 {scope} で繰り返し接続しています（{count} 回）。',
    en: 'A phone keeps trying the unique number {scope}, which does not exist ({count} times).',
  },
  summary_at_risk: {
    ja: '通常 {interval} 秒ごとに届くレジスト更新が {late} 秒遅れています。{expiresAt} に期限切れになります。',
    en: 'The refresh usually arrives every {interval} s and is {late} s late; the binding expires at {expiresAt}.',
  },
  summary_flapping: {
    ja: '{window} 分間に {drops} 回レジストが切れては戻っています。個別の通知はまとめています。',
    en: 'The registration dropped and came back {drops} times within {window} min; individual alerts are folded into this one.',
  },
  summary_site_down: {
    ja: '{window} 秒以内に {down}/{total} 回線のレジストが切れました。拠点の回線障害・停電の可能性があります。回線ごとの通知はこのアラートにまとめています。',
    en: '{down} of {total} lines dropped within {window} s: likely a site outage (internet access or power). Per-line alerts are folded into this one.',
  },
  summary_security: {
    ja: '送信元 {source} からの不審なアクセスです: {what}',
    en: 'Suspicious traffic from {source}: {what}',
  },
  securityManyUniques: { ja: '{count} 個の異なるユニーク番号を試行', en: 'tried {count} different unique numbers' },
  securityScanner: { ja: 'スキャナの User-Agent（{ua}）', en: 'scanner User-Agent ({ua})' },
  securityBlocked: { ja: '認証失敗が多すぎるため遮断しました（{reason}）', en: 'blocked after too many failed authentications ({reason})' },
  // field labels
  fieldUnique: { ja: 'ユニーク', en: 'Unique' },
  fieldCircle: { ja: 'サークル', en: 'Circle' },
  fieldAccount: { ja: 'アカウント', en: 'Account' },
  fieldOpenedAt: { ja: '発生', en: 'Opened' },
  fieldLastSeen: { ja: '最終発生', en: 'Last seen' },
  fieldCount: { ja: '回数', en: 'Count' },
  fieldSource: { ja: '送信元', en: 'Source' },
  fieldUserAgent: { ja: 'User-Agent', en: 'User-Agent' },
  fieldSeverity: { ja: '重大度', en: 'Severity' },
  fieldIncident: { ja: 'インシデント', en: 'Incident' },
  severity_critical: { ja: '緊急', en: 'critical' },
  severity_warning: { ja: '警告', en: 'warning' },
  severity_info: { ja: '情報', en: 'info' },
  // state lines
  stateAcknowledged: { ja: '{who} が {at} に確認しました', en: 'Acknowledged by {who} at {at}' },
  stateSnoozed: { ja: '{until} までスヌーズ中', en: 'Snoozed until {until}' },
  stateResolved: { ja: '{who} が {at} に解決しました', en: 'Resolved by {who} at {at}' },
  stateRecovered: { ja: '{at} に回復しました', en: 'Recovered at {at}' },
  stateFolded: { ja: 'インシデント #{parent} にまとめました', en: 'Folded into incident #{parent}' },
  systemName: { ja: 'システム', en: 'system' },
  someone: { ja: '（不明）', en: '(unknown)' },
  // labels
  labelAck: { ja: '確認', en: 'Acknowledge' },
  labelResolve: { ja: '解決', en: 'Resolve' },
  labelSnooze: { ja: 'スヌーズ', en: 'Snooze' },
  labelHistory: { ja: '履歴', en: 'History' },
  labelTips: { ja: '対処方法', en: 'What to do' },
  snoozeMinutes: { ja: '{n} 分', en: '{n} min' },
  snoozeHours: { ja: '{n} 時間', en: '{n} h' },
  // notes
  noteRepeated: { ja: '再発: 合計 {count} 回（最終 {at}、送信元 {source}）', en: 'Repeated: {count} times in total (last {at}, from {source})' },
  noteAcknowledged: { ja: '{who} が確認しました', en: 'Acknowledged by {who}' },
  noteSnoozed: { ja: '{who} が {until} までスヌーズしました', en: 'Snoozed by {who} until {until}' },
  noteUnsnoozed: { ja: 'スヌーズが終了しました', en: 'Snooze ended' },
  noteResolved: { ja: '{who} が解決しました', en: 'Resolved by {who}' },
  noteRecovered: { ja: '✅ 回復しました: {at} に再レジストされました', en: '✅ Recovered: registered again at {at}' },
  noteFolded: { ja: 'インシデント #{parent} にまとめました', en: 'Folded into incident #{parent}' },
  noteEscalated: { ja: 'エスカレーション: {step}', en: 'Escalated: {step}' },
  // digest
  digestTitle: { ja: '🚨 新しいアラート {count} 件（まとめて表示）', en: '🚨 {count} new alerts (digest)' },
  digestSummary: {
    ja: '短時間に多数のアラートが発生したため、個別の投稿の代わりにまとめて表示します。経過はスレッドに投稿します。',
    en: 'Too many alerts at once for this channel: they are listed here instead of one message each; follow-ups go to this thread.',
  },
  digestLine: { ja: '#{id} {title}', en: '#{id} {title}' },
  digestMore: { ja: 'ほか {count} 件', en: '{count} more' },
  digestItemNote: { ja: '#{id} {unique}: {text}', en: '#{id} {unique}: {text}' },
  // signature tips
  tipUdpNatTimeout: {
    ja: 'UDP のレジストが期限切れになりました。更新間隔（{interval} 秒）が一般的な NAT のタイムアウト（約 {nat} 秒）より長いため、ルータが経路を忘れている可能性があります。端末のキープアライブを有効にするか、TCP で接続してください。',
    en: 'A UDP binding expired while its refresh interval ({interval} s) exceeds common NAT timeouts (about {nat} s): the router probably forgot the mapping. Enable keep-alive on the phone or switch it to TCP.',
  },
  tipSourceChanged: {
    ja: '送信元 IP が前回の正常なレジスト（{before}）から {now} に変わっています。回線やルータの変更を確認してください。',
    en: 'The source IP changed since the last good registration ({before} → {now}): check for a new internet line or router.',
  },
  tipSameDeviceFailing: {
    ja: '前回正常にレジストしたのと同じ端末（同じ IP・User-Agent）からの失敗です。攻撃ではなく、端末のパスワード設定の問題と考えられます。',
    en: 'The failures come from the same IP and User-Agent as the last good registration: a password problem on the phone, not an attack.',
  },
  tipNeverRegisteredSince: {
    ja: 'プロビジョニング（{since}）から {hours} 時間、一度もレジストされていません。端末が設定されたか確認してください。',
    en: 'Provisioned at {since} and never registered in {hours} hours: check that the phone has been set up at all.',
  },
  tipAtRisk: {
    ja: '端末の電源・ネットワークを確認してください。このままでは {expiresAt} にレジストが切れます。',
    en: "Check the phone's power and network: otherwise its registration lapses at {expiresAt}.",
  },
  tipFlapping: {
    ja: '回線が不安定です。端末のネットワーク（Wi-Fi の電波、ルータ、NAT のタイムアウト）を確認してください。',
    en: "The line is unstable: check the phone's network (Wi-Fi signal, router, NAT timeouts).",
  },
  tipSiteDown: {
    ja: '同じ拠点の多くの回線が同時に切れています。拠点のインターネット回線・ルータ・停電を確認してください。個々の端末設定の問題ではない可能性が高いです。',
    en: "Many lines of one site dropped together: check the site's internet access, router and power. The phones' own settings are unlikely to be the cause.",
  },
  tipSecurity: {
    ja: '送信元 {source} はお客様の端末ではない可能性があります。ファイアウォールでの遮断を検討し、対象ユニークのパスワードが推測されにくいことを確認してください。',
    en: 'Source {source} is probably not a customer phone: consider blocking it at the firewall and make sure the targeted uniques have strong passwords.',
  },
  tipUnknownUniqueRepeat: {
    ja: '端末の設定（ユーザ名・認証ID・ログインサーバ）を確認してください。解約済みの番号を使い続けている可能性があります。',
    en: 'Check the phone settings (user name, auth ID, login server): it may still use a cancelled number.',
  },
  // CLI
  cliEmpty: { ja: 'インシデントはありません', en: 'No incidents' },
  cliHeader: { ja: 'ID  状態  原因  対象  回数  発生', en: 'ID  state  cause  scope  count  opened' },
  state_open: { ja: '未対応', en: 'open' },
  state_acknowledged: { ja: '確認済', en: 'acknowledged' },
  state_snoozed: { ja: 'スヌーズ', en: 'snoozed' },
  state_resolved: { ja: '解決', en: 'resolved' },
  cause_deregistered: { ja: 'レジスト切れ', en: 'deregistered' },
  cause_password_error: { ja: 'パスワードエラー', en: 'password error' },
  cause_unknown_unique: { ja: '不明なユニーク', en: 'unknown unique' },
  cause_at_risk: { ja: '更新遅れ', en: 'at risk' },
  cause_flapping: { ja: '断続', en: 'flapping' },
  cause_site_down: { ja: '拠点ダウン', en: 'site down' },
  cause_security: { ja: 'セキュリティ', en: 'security' },
});

export type AlertMessageKey = keyof typeof alertMessages;
