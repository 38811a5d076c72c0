import { describe, expect, it } from 'vitest';
import { parseCommandText, parseDurationMinutes, normalizeNumber } from '../../../../src/chat/commands/parse-command.js';
import type { ChatCommand } from '../../../../src/chat/commands/chat-command.js';

const ok = (name: string, text: string): ChatCommand => {
  const r = parseCommandText(name, text, 'en');
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.reply)}`);
  return r.command;
};
const err = (name: string, text: string, locale: 'ja' | 'en' = 'en') => {
  const r = parseCommandText(name, text, locale);
  if (r.ok) throw new Error(`expected error, got ${JSON.stringify(r.command)}`);
  if (r.reply.kind !== 'error') throw new Error('not an error reply');
  return r.reply;
};

describe('parseCommandText', () => {
  it.each<[string, string, ChatCommand]>([
    ['/line', 'status 0000000773', { name: 'line.status', unique: '0000000773' }],
    ['line', 'STATUS 0000000773', { name: 'line.status', unique: '0000000773' }],
    ['/line', '0000000773', { name: 'line.status', unique: '0000000773' }],
    ['/line', 'status ０００００００７７３', { name: 'line.status', unique: '0000000773' }],
    ['/line', 'status\u3000０００-０００-０７７３', { name: 'line.status', unique: '0000000773' }],
    ['/line', 'status 000 000 0773', { name: 'line.status', unique: '0000000773' }],
    ['/line', 'status 000ー000ー0773', { name: 'line.status', unique: '0000000773' }],
    ['/line', '０００００００７７３', { name: 'line.status', unique: '0000000773' }],
    ['/line', 'history 0000000773', { name: 'line.history', unique: '0000000773' }],
    ['/line', 'history 0000000773 limit=50', { name: 'line.history', unique: '0000000773', limit: 50 }],
    ['/line', 'why 0000000773', { name: 'line.why', unique: '0000000773' }],
    ['/line', 'help', { name: 'line.help' }],
    ['/line', '', { name: 'line.help' }],
    ['/circle', 'status 123456789', { name: 'circle.status', circle: '123456789' }],
    ['/circle', 'status １２３-４５６-７８９ sip_terminal', { name: 'circle.status', circle: '123456789', type: 'sip_terminal' }],
    ['/circle', 'status 123456789 SIP端末', { name: 'circle.status', circle: '123456789', type: 'sip_terminal' }],
    ['/circle', 'status 123456789 SIP trunk 2', { name: 'circle.status', circle: '123456789', type: 'sip_trunk2' }],
    ['/circle', 'status 123456789 page=2 query', { name: 'circle.status', circle: '123456789', page: 2, queryUnknown: true }],
    ['/circle', '123456789', { name: 'circle.status', circle: '123456789' }],
    ['/oncall', '', { name: 'oncall.show' }],
    ['/oncall', 'override sato 30m', { name: 'oncall.override', person: 'sato', durationMinutes: 30 }],
    ['/oncall', 'override Taro Sato 2h', { name: 'oncall.override', person: 'Taro Sato', durationMinutes: 120 }],
    ['/oncall', 'override sato １d', { name: 'oncall.override', person: 'sato', durationMinutes: 1440 }],
  ])('%s %s', (name, text, expected) => {
    expect(ok(name, text)).toEqual(expected);
  });

  it.each<[string, string, string, RegExp]>([
    ['/line', 'status', 'CHAT_ERR_USAGE', /^Usage: \/line status <unique number, 10 digits>$/],
    ['/line', 'status abc', 'CHAT_ERR_USAGE', /^"abc" is not a unique number.*Usage: \/line status/],
    ['/line', 'history 12', 'CHAT_ERR_USAGE', /Usage: \/line history/],
    ['/line', 'why', 'CHAT_ERR_USAGE', /Usage: \/line why/],
    ['/line', 'history 0000000773 limit=1000', 'CHAT_ERR_USAGE', /limit=1000/],
    ['/line', 'stats 0000000773', 'CHAT_ERR_UNKNOWN_COMMAND', /no subcommand "stats".*\/line help/],
    ['/circle', '', 'CHAT_ERR_USAGE', /^Usage: \/circle status <circle number>/],
    ['/circle', 'status', 'CHAT_ERR_USAGE', /Usage: \/circle status/],
    ['/circle', 'status abc', 'CHAT_ERR_USAGE', /"abc" is not a circle number/],
    ['/circle', 'status 123 page=zero', 'CHAT_ERR_USAGE', /"zero" is not a page number/],
    ['/oncall', 'override sato', 'CHAT_ERR_USAGE', /Usage: \/oncall override <person> <duration, e.g. 30m, 2h, 1d>/],
    ['/oncall', 'override sato soon', 'CHAT_ERR_USAGE', /"soon" is not a duration/],
    ['/oncall', 'override sato 31d', 'CHAT_ERR_USAGE', /"31d" is not a duration/],
    ['/oncall', 'dance', 'CHAT_ERR_UNKNOWN_COMMAND', /no subcommand "dance"/],
    ['/pbx', 'status 1', 'CHAT_ERR_UNKNOWN_COMMAND', /There is no command \/pbx/],
  ])('%s %s → %s', (name, text, code, message) => {
    const reply = err(name, text);
    expect(reply.code).toBe(code);
    expect(reply.message).toMatch(message);
  });

  it('lists every valid type code when the type is unknown', () => {
    const reply = err('/circle', 'status 123456789 fax');
    expect(reply.code).toBe('CHAT_ERR_UNKNOWN_TYPE');
    expect(reply.message).toMatch(/^Unknown type code "fax"\. Valid type codes: sip_terminal \(SIP terminal\), /);
    for (const code of ['sip_trunk2_ip_auth', 'ymobile', 'conference_room', 'ivr', 'other']) expect(reply.message).toContain(code);
  });

  it('localizes errors in Japanese', () => {
    expect(err('/line', 'status', 'ja').message).toBe('使い方: /line status <ユニーク番号（10桁）>');
    expect(err('/circle', 'status 1 ファクス', 'ja').message).toMatch(/^種別コード「ファクス」はありません。有効な種別コード: sip_terminal \(SIP端末\)/);
  });
});

describe('normalizers', () => {
  it('turns IME input into digits', () => {
    expect(normalizeNumber('０１２－３４５')).toBe('012345');
    expect(normalizeNumber(' 012 345 ')).toBe('012345');
  });

  it.each<[string, number | null]>([
    ['30m', 30], ['2h', 120], ['1d', 1440], ['1h30m', 90], ['90分', 90], ['2時間', 120], ['３０ｍ', 30],
    ['0m', null], ['30', null], ['m', null], ['30x', null], ['31d', null], ['', null],
  ])('duration %s → %s', (text, minutes) => {
    expect(parseDurationMinutes(text)).toBe(minutes);
  });
});
