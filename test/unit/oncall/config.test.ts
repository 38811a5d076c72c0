import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OncallConfigError, parseOncallYaml } from '../../../src/oncall/index.js';

const issuesOf = (text: string): readonly string[] => {
  try {
    parseOncallYaml(text);
  } catch (err) {
    if (err instanceof OncallConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected the configuration to be rejected');
};

const base = `people:
  - id: aoi
    name: Aoi
schedules:
  - id: primary
    timezone: Asia/Tokyo
    layers:
      - name: main
        rotation: daily
        start: 2026-11-26
        participants: [aoi]
escalation_policies:
  - id: p
    steps:
      - type: notify_channel
      - type: mention_oncall
        schedule: primary
      - type: wait
        minutes: -3
`;

describe('parseOncallYaml', () => {
  it('accepts the example file', () => {
    const config = parseOncallYaml(readFileSync(new URL('../../../examples/oncall.yaml', import.meta.url), 'utf8'));
    expect(config.people.map((p) => p.id)).toEqual(['sato', 'tanaka', 'mueller']);
    expect(config.escalation_policies[0]!.steps).toHaveLength(10);
    expect(config.escalation_policies[1]!.remind_after).toBe(60);
    expect(config.overrides[0]!.start.toISOString()).toBe('2026-12-29T00:00:00.000Z');
  });

  it('names the line and field of a bad value', () => {
    expect(issuesOf(base)).toEqual(['oncall.yaml:19 escalation_policies[0].steps[2].minutes: expected a positive number']);
  });

  it('names the line of a missing field (its parent) and of unknown references', () => {
    const text = base.replace('minutes: -3', 'minutes: 3').replace('        schedule: primary\n', '        schedule: nope\n').replace('participants: [aoi]', 'participants: [aoi, zed]');
    expect(issuesOf(text)).toEqual([
      'oncall.yaml:11 schedules[0].layers[0].participants[1]: unknown person "zed"',
      'oncall.yaml:17 escalation_policies[0].steps[1].schedule: unknown schedule "nope"',
    ]);
    expect(issuesOf(base.replace('    name: Aoi\n', ''))[0]).toBe('oncall.yaml:2 people[0].name: Required');
  });

  it('rejects invalid YAML with the line number', () => {
    expect(issuesOf('people: []\nschedules: []\npeople: []\n')[0]).toMatch(/^oncall\.yaml:3 invalid YAML: Map keys must be unique/);
    expect(issuesOf('people:\n  - id: a\n   name: b\n')[0]).toMatch(/^oncall\.yaml:3 invalid YAML/);
  });

  it('checks timezones, clock times, custom lengths and repeat without wait', () => {
    const text = `schedules:
  - id: s
    timezone: Mars/Olympus
    layers:
      - name: l
        rotation: custom
        handoff: "25:00"
        start: 2026-11-26
        participants: []
escalation_policies:
  - id: p
    steps:
      - type: repeat
        times: 2
`;
    expect(issuesOf(text)).toEqual([
      'oncall.yaml:3 schedules[0].timezone: expected an IANA timezone such as Asia/Tokyo',
      'oncall.yaml:7 schedules[0].layers[0].handoff: expected a time of day HH:MM (24 h)',
      'oncall.yaml:9 schedules[0].layers[0].participants: expected at least one participant',
      'oncall.yaml:5 schedules[0].layers[0].length_hours: expected length_hours for a custom rotation',
      'oncall.yaml:13 escalation_policies[0].steps[0].type: expected a wait step before repeat',
    ]);
  });
});
