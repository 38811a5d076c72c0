import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alertButtonId, circlePageId, parseCustomId, postCommandId } from '../../../../src/chat/discord/index.js';

describe('custom ids', () => {
  it('round-trips alert buttons and the snooze select', () => {
    expect(parseCustomId(alertButtonId('ack', 42))).toEqual({ kind: 'alert', action: { action: 'ack', incidentId: 42 } });
    expect(parseCustomId(alertButtonId('resolve', 7))).toEqual({ kind: 'alert', action: { action: 'resolve', incidentId: 7 } });
    expect(parseCustomId(alertButtonId('history', 7))).toEqual({ kind: 'alert', action: { action: 'history', incidentId: 7 } });
    expect(parseCustomId(alertButtonId('snooze', 7, 60))).toEqual({ kind: 'alert', action: { action: 'snooze', incidentId: 7, snoozeMinutes: 60 } });
    expect(parseCustomId('alert:snooze:7', ['240'])).toEqual({ kind: 'alert', action: { action: 'snooze', incidentId: 7, snoozeMinutes: 240 } });
    expect(parseCustomId('alert:snooze:7')).toEqual({ kind: 'alert_snooze_select', incidentId: 7 });
  });

  it('rejects snooze durations that are not offered', () => {
    expect(parseCustomId('alert:snooze:7:5')).toBeNull();
    expect(parseCustomId('alert:snooze:7', ['99999'])).toBeNull();
  });

  it('round-trips circle pages and post commands', () => {
    expect(parseCustomId(circlePageId('123456789', null, 2))).toEqual({ kind: 'circle_page', command: { name: 'circle.status', circle: '123456789', page: 2 } });
    expect(parseCustomId(circlePageId('123456789', 'smartphone', 3))).toEqual({
      kind: 'circle_page',
      command: { name: 'circle.status', circle: '123456789', type: 'smartphone', page: 3 },
    });
    for (const command of [
      { name: 'line.status', unique: '0000000773' },
      { name: 'line.history', unique: '0000000773' },
      { name: 'line.why', unique: '0000000773' },
      { name: 'line.help' },
      { name: 'oncall.show' },
      { name: 'circle.status', circle: '1', type: 'ivr', page: 1 },
    ] as const) {
      expect(parseCustomId(postCommandId(command)!)).toEqual({ kind: 'post', command });
    }
    expect(postCommandId({ name: 'oncall.override', person: 'sato', durationMinutes: 60 })).toBeNull();
  });

  it('rejects forged or unknown ids', () => {
    for (const id of ['', 'alert', 'alert:ack', 'alert:ack:x', 'alert:ack:1:2', 'alert:delete:1', 'circle:page:1:nope:1', 'post:oncall.override:x', 'post:line.status', 'x'.repeat(101)]) {
      expect(parseCustomId(id)).toBeNull();
    }
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.array(fc.string(), { maxLength: 3 }), (id, values) => {
        parseCustomId(id, values);
      }),
    );
  });
});
