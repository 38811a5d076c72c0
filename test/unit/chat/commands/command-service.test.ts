import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../helpers/test-db.js';
import { renderText } from '../../../../src/chat/commands/render-text.js';
import type { ChatContext } from '../../../../src/chat/commands/chat-command.js';
import type { ChatReply } from '../../../../src/chat/commands/chat-reply.js';
import { EXTERNAL_QUERY_CONCURRENCY } from '../../../../src/chat/commands/command-service.js';
import { isDatabaseUnavailable } from '../../../../src/store/pg-errors.js';
import { FakeExternal, FakeIncidents, NOW, buildService, fakeOncall, incident, provision, sato, type Repos } from './fixtures.js';

let db: TestDb;
let repos: Repos;
beforeAll(async () => {
  db = await openTestDb('pglite');
  repos = await provision(db);
});
afterAll(async () => {
  await db.dispose();
});

const slack: ChatContext = { platform: 'slack', channelId: 'C-support', actor: sato };
const acmeChannel: ChatContext = { platform: 'slack', channelId: 'C-acme', actor: sato };

/** A repository whose every call waits forever: a database connection that hangs. */
function hang<T extends object>(repo: T): T {
  return new Proxy(repo, { get: (target, key) => (typeof Reflect.get(target, key) === 'function' ? () => new Promise(() => {}) : Reflect.get(target, key)) });
}
/** A repository whose every call fails with `err`. */
function failing<T extends object>(repo: T, err: Error): T {
  return new Proxy(repo, { get: (target, key) => (typeof Reflect.get(target, key) === 'function' ? () => Promise.reject(err) : Reflect.get(target, key)) });
}
const hangingIncidents = () => hang(new FakeIncidents([incident()]));

function as<K extends ChatReply['kind']>(reply: ChatReply, kind: K): Extract<ChatReply, { kind: K }> {
  if (reply.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(reply)}`);
  return reply as Extract<ChatReply, { kind: K }>;
}
const field = (fields: readonly { label: string; value: string }[], label: string) => fields.find((f) => f.label === label)?.value;

describe.each(['ja', 'en'] as const)('CommandService (%s)', (locale) => {
  const ja = locale === 'ja';
  const service = (o: Partial<Parameters<typeof buildService>[1]> = {}) =>
    buildService(repos, { locale, incidents: new FakeIncidents([incident()]), oncall: fakeOncall(), external: new FakeExternal(), ...o });

  it('/line status of a registered line: headline, last REGISTER in JST with relative time, binding', async () => {
    const reply = as(await service().execute({ name: 'line.status', unique: '0000000773' }, slack), 'line_status');
    expect(reply.document.status).toBe('registered');
    expect(reply.headline).toBe(ja ? 'このユニークはレジスト中です' : 'This unique is registered');
    expect(field(reply.fields, ja ? '最終REGIST' : 'Last REGISTER')).toBe(ja ? '2026/11/26 17:37:00 JST（3分前）' : '2026-11-26 17:37:00 JST (3 min ago)');
    expect(field(reply.fields, ja ? '種別' : 'Type')).toBe(ja ? 'SIP端末 (sip_terminal)' : 'SIP terminal (sip_terminal)');
    expect(reply.bindings).toHaveLength(1);
    expect(field(reply.bindings[0]!, ja ? '有効期限' : 'Expires')).toBe(ja ? '2026/11/26 17:47:00 JST（7分後）' : '2026-11-26 17:47:00 JST (in 7 min)');
    expect(reply.lastError).toBeNull();
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('/line status after a wrong password: latest error, tips, open incident', async () => {
    const reply = as(await service().execute({ name: 'line.status', unique: '0000000774' }, slack), 'line_status');
    expect(reply.document.status).toBe('not_registered');
    expect(field(reply.lastError!, ja ? '原因' : 'Cause')).toMatch(ja ? /認証パスワードが誤っている/ : /password in the REGISTER was wrong/);
    expect(field(reply.lastError!, ja ? '送信元' : 'Source')).toBe('198.51.100.9:5060/UDP');
    expect(reply.document.tips.join('\n')).toMatch(ja ? /上書き/ : /overwrite it/);
    expect(reply.openIncidents).toEqual([{ id: 42, title: 'Password error: 0000000774' }]);
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('/line status of an unsupported type and of a line never registered', async () => {
    const ivr = as(await service().execute({ name: 'line.status', unique: '0000000775' }, slack), 'line_status');
    expect(ivr.document.status).toBe('unsupported');
    expect(ivr.headline).toContain('IVR');
    const never = as(await service().execute({ name: 'line.status', unique: '0000000777' }, slack), 'line_status');
    expect(field(never.fields, ja ? '最終REGIST' : 'Last REGISTER')).toBe(ja ? 'REGISTを一度も受信していません' : 'No REGISTER has ever been received');
  });

  it('/line status of an unknown unique says it does not exist and to check it', async () => {
    const reply = as(await service().execute({ name: 'line.status', unique: '0000000999' }, slack), 'error');
    expect(reply.code).toBe('CHAT_ERR_UNIQUE_NOT_FOUND');
    expect(reply.message).toBe(ja ? 'ユニーク 0000000999 は存在しません。番号を確認してください。' : 'Unique 0000000999 does not exist. Check the number.');
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('/line status when the external login server times out: unknown, with a clear line', async () => {
    const reply = as(await service().execute({ name: 'line.status', unique: '0000000776' }, slack), 'line_status');
    expect(reply.document.status).toBe('unknown');
    const expected = ja ? 'ログインサーバ ext.example.net から応答がありませんでした（タイムアウト）' : 'Login server ext.example.net did not answer (timeout)';
    expect(reply.headline).toBe(expected);
    expect(field(reply.fields, ja ? '外部問い合わせ' : 'External query')).toBe(expected);
    expect(reply.queriedExternally).toBe(false);
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('/line status asks the external login server and shows its answer', async () => {
    const external = new FakeExternal();
    external.answer = { ok: true, bindings: [], lastRegisterAt: null };
    const reply = as(await service({ external }).execute({ name: 'line.status', unique: '0000000776' }, slack), 'line_status');
    expect(reply.document.status).toBe('not_registered');
    expect(reply.queriedExternally).toBe(true);
    expect(external.calls).toBe(1);
  });

  it('/line history: newest first with marks and details, plus the incident log', async () => {
    const reply = as(await service().execute({ name: 'line.history', unique: '0000000773' }, slack), 'line_history');
    expect(reply.entries.map((e) => e.type)).toEqual(['refreshed', 'stale_nonce', 'refreshed', 'registered', 'registered', 'expired']);
    expect(reply.entries[0]!.mark).toBe('↻');
    expect(reply.entries[0]!.details).toContain('203.0.113.7:5062/UDP');
    expect(reply.entries[0]!.details).toContain('Yealink SIP-T46S');
    const limited = as(await service().execute({ name: 'line.history', unique: '0000000773', limit: 2 }, slack), 'line_history');
    expect(limited.entries).toHaveLength(2);
    const withAudit = as(await service().execute({ name: 'line.history', unique: '0000000774' }, slack), 'line_history');
    expect(withAudit.audit).toHaveLength(1);
    expect(withAudit.audit[0]!.text).toBe(ja ? 'インシデント発生' : 'Incident opened');
    expect(renderText(reply)).toMatchSnapshot();
    expect(renderText(withAudit)).toMatchSnapshot();
  });

  it('/line history says how long events are kept, and nothing when they are kept for good', async () => {
    const history = async (retention?: { eventDays: number; refreshDays: number }) =>
      as(await buildService(repos, { locale, ...(retention ? { retention } : {}) }).execute({ name: 'line.history', unique: '0000000773' }, slack), 'line_history').retentionNote;
    expect(await history({ eventDays: 90, refreshDays: 7 })).toBe(
      ja ? '更新（refresh）は 7 日、その他のイベントは 90 日保存されます（種類ごとの最新のものは常に残ります）。' : 'Refreshes are kept 7 days and other events 90 days (the newest of each kind always stays).',
    );
    expect(await history({ eventDays: 30, refreshDays: 0 })).toBe(ja ? 'イベントは 30 日保存されます（種類ごとの最新のものは常に残ります）。' : 'Events are kept 30 days (the newest of each kind always stays).');
    expect(await history({ eventDays: 0, refreshDays: 7 })).toMatch(ja ? /削除されません/ : /other events are never deleted/);
    expect(await history({ eventDays: 0, refreshDays: 0 })).toBeNull();
    expect(await history()).toBeNull();
  });

  it('/line why: last response, expiry, learned interval, next refresh, nonce, flaps', async () => {
    const reply = as(await service().execute({ name: 'line.why', unique: '0000000773' }, slack), 'line_why');
    const v = (en: string, jaLabel: string) => field(reply.fields, ja ? jaLabel : en);
    expect(v('Last response sent', '最後に送った応答')).toBe(ja ? '2026/11/26 17:37:00 JST（3分前） REGISTER に 200 を応答' : '200 to REGISTER at 2026-11-26 17:37:00 JST (3 min ago)');
    expect(v('Expiry (requested → granted)', '有効期限（要求→許可）')).toBe(ja ? '要求 10分 → 許可 10分' : '10 min requested → 10 min granted');
    expect(v('Refresh interval (learned)', '更新間隔（学習値）')).toBe(ja ? '約 10分 ごと' : 'about every 10 min');
    expect(v('Next expected refresh', '次回の更新予定')).toBe(ja ? '2026/11/26 17:47:00 JST（7分後）' : '2026-11-26 17:47:00 JST (in 7 min)');
    expect(v('Nonce state', 'nonce の状態')).toMatch(ja ? /17:32:00 JST/ : /last stale nonce at 2026-11-26 17:32:00 JST/);
    expect(v('Drops and returns in 24 h', '直近24時間の切断・復帰')).toBe(ja ? '期限切れ 1回・レジスト 2回' : '1 expiries, 2 registrations');
    expect(v('Source', '送信元')).toBe('203.0.113.7:5062/UDP Yealink SIP-T46S 66.86.0.15');
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('/line why for a failing line shows the latest error and the open incident', async () => {
    const reply = as(await service().execute({ name: 'line.why', unique: '0000000774' }, slack), 'line_why');
    expect(field(reply.fields, ja ? '最新のエラー情報' : 'Latest error')).toMatch(ja ? /認証に失敗/ : /authentication failed/);
    expect(field(reply.fields, ja ? '未解決のインシデント' : 'Open incidents')).toBe('#42 Password error: 0000000774');
    expect(field(reply.fields, ja ? '最後に送った応答' : 'Last response sent')).toMatch(/403/);
    expect(reply.tips.length).toBeGreaterThan(0);
  });

  it('/circle status: a mark per unique, type labels, counts, circle facts', async () => {
    const reply = as(await service().execute({ name: 'circle.status', circle: '123456789' }, slack), 'circle_status');
    expect(reply.rows.map((r) => `${r.mark}${r.unique}`)).toEqual(['●0000000773', '×0000000774', '－0000000775', '?0000000776', '×0000000777']);
    expect(reply.rows[2]!.typeLabel).toBe(ja ? 'IVR' : 'IVR');
    expect(reply.rows[1]!.typeLabel).toBe(ja ? 'スマートフォン' : 'Smartphone');
    expect(reply.counts).toEqual({ registered: 1, not_registered: 2, unsupported: 1, unknown: 1 });
    expect(reply.pageCount).toBe(1);
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('/circle status filtered by type, and queryUnknown asks the external server', async () => {
    const filtered = as(await service().execute({ name: 'circle.status', circle: '123456789', type: 'sip_terminal' }, slack), 'circle_status');
    expect(filtered.rows.map((r) => r.unique)).toEqual(['0000000773']);
    expect(filtered.typeFilter).toBe('sip_terminal');
    const external = new FakeExternal();
    external.answer = { ok: true, bindings: [], lastRegisterAt: null };
    const asked = as(await service({ external }).execute({ name: 'circle.status', circle: '123456789', queryUnknown: true }, slack), 'circle_status');
    expect(external.calls).toBe(1);
    expect(asked.rows[3]!.mark).toBe('×');
    expect(asked.counts.unknown).toBe(0);
  });

  it('/circle status of an unknown circle', async () => {
    const reply = as(await service().execute({ name: 'circle.status', circle: '555' }, slack), 'error');
    expect(reply.code).toBe('CHAT_ERR_CIRCLE_NOT_FOUND');
  });

  it('a channel restricted to one account sees nothing of the others, as if it did not exist', async () => {
    const s = service();
    const line = as(await s.execute({ name: 'line.status', unique: '0000000901' }, acmeChannel), 'error');
    expect(line.code).toBe('CHAT_ERR_UNIQUE_NOT_FOUND');
    const missing = as(await s.execute({ name: 'line.status', unique: '0000000999' }, acmeChannel), 'error');
    expect(line.message).toBe(missing.message.replace('0000000999', '0000000901'));
    expect(as(await s.execute({ name: 'line.history', unique: '0000000901' }, acmeChannel), 'error').code).toBe('CHAT_ERR_UNIQUE_NOT_FOUND');
    expect(as(await s.execute({ name: 'line.why', unique: '0000000901' }, acmeChannel), 'error').code).toBe('CHAT_ERR_UNIQUE_NOT_FOUND');
    expect(as(await s.execute({ name: 'circle.status', circle: '987654321' }, acmeChannel), 'error').code).toBe('CHAT_ERR_CIRCLE_NOT_FOUND');
    expect(as(await s.execute({ name: 'line.status', unique: '0000000773' }, acmeChannel), 'line_status').document.status).toBe('registered');
    expect(as(await s.execute({ name: 'oncall.show' }, acmeChannel), 'error').code).toBe('CHAT_ERR_FORBIDDEN');
    expect(await s.complete('unique', '00000009', acmeChannel)).toEqual([]);
    expect(await s.complete('unique', '00000009', slack)).toEqual(['0000000901']);
    expect(await s.complete('circle', '', acmeChannel)).toEqual(['123456789']);
    expect(await s.complete('circle', '', slack)).toEqual(['123456789', '987654321']);
    expect(await s.complete('unique', '０００００００７７', acmeChannel)).toEqual(['0000000773', '0000000774', '0000000775', '0000000776', '0000000777']);
  });

  it('/oncall and /oncall override', async () => {
    const oncall = fakeOncall();
    const s = service({ oncall });
    const show = as(await s.execute({ name: 'oncall.show' }, slack), 'oncall');
    expect(show.headline).toBe(ja ? '現在のオンコール: Sato, Suzuki' : 'On call now: Sato, Suzuki');
    expect(show.sections.map((x) => x.title)).toEqual(ja
      ? ['スケジュール Support', '次の交代', 'エスカレーションポリシー Default']
      : ['Schedule Support', 'Next handoff', 'Escalation policy Default']);
    expect(renderText(show)).toMatchSnapshot();
    const done = as(await s.execute({ name: 'oncall.override', person: 'tanaka', durationMinutes: 120 }, slack), 'oncall');
    expect(done.headline).toBe(ja
      ? 'Tanaka を Support のオンコールに設定しました（2026/11/26 17:40:00 JST 〜 2026/11/26 19:40:00 JST、設定者 Sato）'
      : 'Tanaka is on call for Support from 2026-11-26 17:40:00 JST until 2026-11-26 19:40:00 JST (set by Sato)');
    expect(oncall.overrides).toEqual([{ person: 'tanaka', minutes: 120, actor: sato }]);
    expect(as(await s.execute({ name: 'oncall.override', person: 'nobody', durationMinutes: 30 }, slack), 'error').code).toBe('CHAT_ERR_PERSON_NOT_FOUND');
    expect(as(await s.execute({ name: 'oncall.override', person: 'ta', durationMinutes: 30 }, slack), 'error').message).toContain('Tanaka, Takahashi');
    const none = as(await buildService(repos, { locale }).execute({ name: 'oncall.show' }, slack), 'error');
    expect(none.code).toBe('CHAT_ERR_ONCALL_NOT_CONFIGURED');
  });

  it('/line help lists every command', async () => {
    const reply = as(await service().execute({ name: 'line.help' }, slack), 'help');
    expect(reply.lines.map((l) => l.usage).filter(Boolean)).toHaveLength(7);
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('parse() answers in the configured locale', () => {
    const r = service().parse('/line', 'status');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(as(r.reply, 'error').message).toMatch(ja ? /^使い方/ : /^Usage/);
  });

  it('an unexpected failure becomes CHAT_ERR_INTERNAL and is logged', async () => {
    const errors: unknown[] = [];
    const broken = buildService({ ...repos, events: { ...repos.events, listForUnique: async () => { throw new Error('connection reset'); } } as never }, { locale, errors });
    const reply = as(await broken.execute({ name: 'line.why', unique: '0000000773' }, slack), 'error');
    expect(reply.code).toBe('CHAT_ERR_INTERNAL');
    expect(errors).toHaveLength(1);
  });

  it('a database that never answers: CHAT_ERR_UNAVAILABLE after the deadline, saying phones still register', async () => {
    const errors: unknown[] = [];
    const hung = buildService({ ...repos, uniques: hang(repos.uniques) }, { locale, errors, deadlineMs: 50 });
    const reply = as(await hung.execute({ name: 'line.status', unique: '0000000773' }, slack), 'error');
    expect(reply.code).toBe('CHAT_ERR_UNAVAILABLE');
    expect(reply.message).toMatch(ja ? /データベースが応答しない.*電話機の登録は止まっていません/ : /database is not answering.*Phones keep registering/);
    expect(errors).toHaveLength(1);
    // The same bound holds for a button.
    const button = buildService({ ...repos, uniques: hang(repos.uniques) }, { locale, deadlineMs: 50, incidents: hangingIncidents() });
    expect(as(await button.act({ action: 'ack', incidentId: 42 }, slack), 'error').code).toBe('CHAT_ERR_UNAVAILABLE');
  });

  it("during an outage, /line status still says what the registrar's memory holds (channels that see every account only)", async () => {
    const minutes = (n: number) => NOW.getTime() + n * 60_000;
    const live = (bindings: { contact: string; source: string; expiresAt: number }[]) => ({ bindingsOf: (u: string) => (u === '0000000773' ? bindings : []) });
    const during = (o: { live: ReturnType<typeof live> }, ctx = slack, unique = '0000000773') =>
      buildService({ ...repos, uniques: hang(repos.uniques) }, { locale, deadlineMs: 50, live: o.live }).execute({ name: 'line.status', unique }, ctx);

    const registered = as(await during({ live: live([{ contact: 'sip:773@203.0.113.7:5062', source: '203.0.113.7:5062', expiresAt: minutes(7) }]) }), 'error');
    expect(registered.code).toBe('CHAT_ERR_UNAVAILABLE');
    expect(registered.message.split('\n')[1]).toBe(
      ja
        ? 'レジストラのメモリ上では、ユニーク 0000000773 は現在レジスト中です（1 件、有効期限 2026/11/26 17:47:00 JST（7分後）、送信元 203.0.113.7:5062）。'
        : "In the registrar's memory, unique 0000000773 is registered now (1 binding, expires 2026-11-26 17:47:00 JST (in 7 min), from 203.0.113.7:5062).",
    );
    const two = as(
      await during({
        live: live([
          { contact: 'sip:773@203.0.113.7:5062', source: '203.0.113.7:5062', expiresAt: minutes(3) },
          { contact: 'sip:773@198.51.100.9:5060', source: '198.51.100.9:5060', expiresAt: minutes(9) },
        ]),
      }),
      'error',
    );
    expect(two.message).toContain(ja ? '（2 件、有効期限 2026/11/26 17:49:00 JST（9分後）、送信元 198.51.100.9:5060）' : '(2 bindings, expires 2026-11-26 17:49:00 JST (in 9 min), from 198.51.100.9:5060)');
    const lapsed = as(await during({ live: live([{ contact: 'sip:773@203.0.113.7:5062', source: '203.0.113.7:5062', expiresAt: minutes(-1) }]) }), 'error');
    expect(lapsed.message).toMatch(ja ? /有効なレジストはありません/ : /holds no live registration of unique 0000000773/);
    // A channel restricted to some accounts cannot tell whose line it is without the database: nothing.
    const restricted = as(await during({ live: live([{ contact: 'c', source: '203.0.113.7:5062', expiresAt: minutes(7) }]) }, acmeChannel), 'error');
    expect(restricted.message).not.toContain('0000000773');
  });

  it('a refused database connection: CHAT_ERR_UNAVAILABLE, not an internal error', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const broken = buildService({ ...repos, events: failing(repos.events, new Error('Failed query: select …', { cause: refused })) }, { locale, isUnavailable: isDatabaseUnavailable });
    expect(as(await broken.execute({ name: 'line.why', unique: '0000000773' }, slack), 'error').code).toBe('CHAT_ERR_UNAVAILABLE');
  });

  it('/circle status … query is not cut by the deadline: it asks login servers line by line', async () => {
    const external = new FakeExternal(120);
    external.answer = { ok: true, bindings: [], lastRegisterAt: null };
    const slow = buildService(repos, { locale, external, deadlineMs: 50 });
    const asked = as(await slow.execute({ name: 'circle.status', circle: '123456789', queryUnknown: true }, slack), 'circle_status');
    expect(external.calls).toBe(1);
    expect(asked.counts.unknown).toBe(0);
  });
});

describe.each(['ja', 'en'] as const)('CommandService.act (%s)', (locale) => {
  const ja = locale === 'ja';
  const setup = (incidents = [incident()]) => {
    const port = new FakeIncidents(incidents);
    return { port, s: buildService(repos, { locale, incidents: port }) };
  };

  it('acknowledge returns the updated alert and "Acknowledged by <name>"', async () => {
    const { port, s } = setup();
    const reply = as(await s.act({ action: 'ack', incidentId: 42 }, slack), 'action');
    expect(reply.confirmation).toBe(ja ? 'Sato が確認しました' : 'Acknowledged by Sato');
    expect(reply.alert.state).toBe('acknowledged');
    expect(port.byId.get(42)!.acknowledgedBy).toEqual(sato);
    expect(renderText(reply)).toMatchSnapshot();
  });

  it('resolve, then a second resolve says it is already resolved', async () => {
    const { s } = setup();
    const reply = as(await s.act({ action: 'resolve', incidentId: 42 }, slack), 'action');
    expect(reply.confirmation).toBe(ja ? 'Sato が解決しました' : 'Resolved by Sato');
    const again = as(await s.act({ action: 'ack', incidentId: 42 }, slack), 'error');
    expect(again.code).toBe('CHAT_ERR_INCIDENT_RESOLVED');
    expect(again.message).toBe(ja ? 'インシデント #42 はすでに解決済みです。操作は不要です。' : 'Incident #42 is already resolved; nothing to do.');
  });

  it('snooze accepts only the offered choices', async () => {
    const { port, s } = setup();
    const bad = as(await s.act({ action: 'snooze', incidentId: 42, snoozeMinutes: 45 }, slack), 'error');
    expect(bad.code).toBe('CHAT_ERR_INVALID_SNOOZE');
    expect(bad.message).toContain(ja ? '30分' : '30 min');
    const missing = as(await s.act({ action: 'snooze', incidentId: 42 }, slack), 'error');
    expect(missing.code).toBe('CHAT_ERR_INVALID_SNOOZE');
    const ok = as(await s.act({ action: 'snooze', incidentId: 42, snoozeMinutes: 60 }, slack), 'action');
    expect(ok.confirmation).toBe(ja ? 'Sato が 2026/11/26 18:40:00 JST までスヌーズしました' : 'Snoozed by Sato until 2026-11-26 18:40:00 JST');
    expect(port.byId.get(42)!.snoozedUntil).toEqual(new Date(NOW.getTime() + 3_600_000));
  });

  it('history shows the line timeline and the incident log', async () => {
    const { s } = setup();
    await s.act({ action: 'ack', incidentId: 42 }, slack);
    const reply = as(await s.act({ action: 'history', incidentId: 42 }, slack), 'line_history');
    expect(reply.unique).toBe('0000000774');
    expect(reply.audit.map((a) => a.type)).toEqual(['acknowledged', 'opened']);
    expect(reply.audit[0]!.text).toBe(ja ? 'Sato が確認' : 'Acknowledged by Sato');
  });

  it('an unknown incident, or one of another account in a restricted channel, is not found', async () => {
    const { s } = setup([incident(), incident({ id: 43, accountLoginId: 'other', unique: '0000000901' })]);
    const missing = as(await s.act({ action: 'ack', incidentId: 7 }, slack), 'error');
    expect(missing.code).toBe('CHAT_ERR_INCIDENT_NOT_FOUND');
    expect(missing.message).toBe(ja ? 'インシデント #7 は見つかりません。' : 'Incident #7 was not found.');
    expect(as(await s.act({ action: 'ack', incidentId: 43 }, acmeChannel), 'error').code).toBe('CHAT_ERR_INCIDENT_NOT_FOUND');
    expect(as(await s.act({ action: 'ack', incidentId: 42 }, acmeChannel), 'action').alert.incidentId).toBe(42);
    const noEngine = buildService(repos, { locale });
    expect(as(await noEngine.act({ action: 'ack', incidentId: 42 }, slack), 'error').code).toBe('CHAT_ERR_INCIDENT_NOT_FOUND');
  });

  it('a race reported by the alert engine maps to a clear message', async () => {
    const { port, s } = setup();
    port.failWith = Object.assign(new Error('resolved meanwhile'), { code: 'ALERT_ERR_INCIDENT_RESOLVED' });
    const reply = as(await s.act({ action: 'ack', incidentId: 42 }, slack), 'error');
    expect(reply.code).toBe('CHAT_ERR_INCIDENT_RESOLVED');
    expect(reply.message).toContain('#42');
  });
});

describe('EXTERNAL_QUERY_CONCURRENCY', () => {
  it('bounds external queries of "?" rows', async () => {
    const local = await openTestDb('pglite');
    try {
      const r = await provision(local);
      const { Provisioning, CredentialCache } = await import('../../../../src/app/index.js');
      const { DrizzleAccountRepo } = await import('../../../../src/store/index.js');
      const p = new Provisioning({ accounts: new DrizzleAccountRepo(local.db), circles: r.circles, uniques: r.uniques, credentialCache: new CredentialCache('x'), clock: { now: () => NOW }, realm: 'x', defaultLoginServer: 'sip.example.net' });
      for (let i = 0; i < 12; i += 1) await p.createUnique({ number: `00000010${String(i).padStart(2, '0')}`, circleNumber: '987654321', type: 'sip_terminal', password: 'Secret-pass-1', loginServer: 'ext.example.net' });
      const external = new FakeExternal(30);
      external.answer = { ok: true, bindings: [], lastRegisterAt: null };
      const reply = as(await buildService(r, { locale: 'en', external }).execute({ name: 'circle.status', circle: '987654321', queryUnknown: true }, slack), 'circle_status');
      expect(external.calls).toBe(12);
      expect(external.maxInFlight).toBe(EXTERNAL_QUERY_CONCURRENCY);
      expect(reply.counts.unknown).toBe(0);
    } finally {
      await local.dispose();
    }
  });
});
