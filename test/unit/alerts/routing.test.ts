import { describe, expect, it } from 'vitest';
import { AlertRouter, parseRoutingConfig } from '../../../src/alerts/index.js';
import { formatIncidentsText } from '../../../src/alerts/index.js';
import type { Incident } from '../../../src/alerts/index.js';

const yaml = `routes:
  - match: { account: acme, cause: [deregistered, site_down] }
    targets:
      - { platform: slack, destination: C-ACME, account: acme }
  - match: { severity: critical }
    targets: [{ platform: discord, destination: "999" }]
    continue: true
security:
  - { platform: slack, destination: C-SEC }
channels:
  - { platform: slack, destination: C-SHARED, account: globex }
`;

const inc = (over: Partial<Incident>) => ({ accountLoginId: 'acme', circle: '1', cause: 'deregistered' as const, severity: 'critical' as const, ...over });

describe('AlertRouter', () => {
  const router = new AlertRouter(parseRoutingConfig(yaml), { slackChannel: 'C-SHARED', discordChannel: 'D-DEFAULT' });

  it('first matching rule wins, log always added', () => {
    expect(router.route(inc({}))).toEqual([
      { platform: 'slack', destination: 'C-ACME' },
      { platform: 'log', destination: 'log' },
    ]);
  });

  it('continue: true falls through to defaults only when nothing else matched', () => {
    expect(router.route(inc({ accountLoginId: 'initech', cause: 'password_error' }))).toEqual([
      { platform: 'discord', destination: '999' },
      { platform: 'log', destination: 'log' },
    ]);
  });

  it("a customer-shared channel only sees that customer's incidents, even as the default", () => {
    expect(router.route(inc({ accountLoginId: 'initech', severity: 'warning', cause: 'password_error' }))).toEqual([
      { platform: 'discord', destination: 'D-DEFAULT' },
      { platform: 'log', destination: 'log' },
    ]);
    expect(router.route(inc({ accountLoginId: 'globex', severity: 'warning', cause: 'password_error' }))).toEqual([
      { platform: 'slack', destination: 'C-SHARED' },
      { platform: 'discord', destination: 'D-DEFAULT' },
      { platform: 'log', destination: 'log' },
    ]);
  });

  it('security incidents go to the security route', () => {
    expect(router.route(inc({ accountLoginId: null, cause: 'security' }))).toEqual([
      { platform: 'slack', destination: 'C-SEC' },
      { platform: 'log', destination: 'log' },
    ]);
  });

  it('invalid YAML names the line and field', () => {
    expect(() => parseRoutingConfig('routes:\n  - match: { cause: nope }\n    targets: []\n', 'routes.yaml')).toThrow(/routes\.yaml:2: routes\.0\.match\.cause/);
    expect(() => parseRoutingConfig('routes:\n  - match: [\n', 'r.yaml')).toThrow(/r\.yaml:\d+:/);
    const bad = () => parseRoutingConfig('log: true\nsecurity:\n  - { platform: fax, destination: x }\n', 'f.yaml');
    expect(bad).toThrow(/^f\.yaml:3: security\.0\.platform/);
    expect(bad).toThrow(expect.objectContaining({ code: 'ALERT_ERR_INVALID_ROUTES' }));
  });
});

describe('formatIncidentsText', () => {
  it('lists incidents in the locale with times in the display timezone', () => {
    const at = new Date('2026-11-26T01:00:00Z');
    const incident: Incident = {
      id: 7, cause: 'deregistered', severity: 'critical', state: 'acknowledged', unique: '0000000773', circle: '123456789', accountLoginId: 'acme',
      scopeKey: 'unique:0000000773', openedAt: at, updatedAt: at, resolvedAt: null, snoozedUntil: null, count: 2, lastSeenAt: at, lastSource: null,
      lastUserAgent: null, tips: ['Check the phone.'], parentId: null, detail: {}, acknowledgedBy: { source: 'slack', id: 'U1', name: 'Sato' }, acknowledgedAt: at, resolvedBy: null,
    };
    expect(formatIncidentsText([incident], 'en', 'Asia/Tokyo')).toBe(
      ['ID  state  cause  scope  count  opened', '#7  acknowledged  deregistered  0000000773 (123456789)  ×2  2026-11-26 10:00:00 JST', '    Acknowledged by Sato at 2026-11-26 10:00:00 JST', '    - Check the phone.'].join('\n'),
    );
    expect(formatIncidentsText([], 'ja', 'Asia/Tokyo')).toBe('インシデントはありません');
  });
});
