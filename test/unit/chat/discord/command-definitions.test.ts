import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import { UNIQUE_TYPES } from '../../../../src/domain/index.js';
import { commandDefinitions, parseRegisterArgs } from '../../../../src/chat/discord/index.js';

type Option = { type: number; name: string; required?: boolean; autocomplete?: boolean; options?: Option[]; choices?: { name: string; value: string; name_localizations?: { ja: string } }[]; description: string; description_localizations?: { ja: string } };

describe('command definitions (docs/contract.md)', () => {
  const defs = commandDefinitions() as unknown as (Option & { options: Option[] })[];
  const byName = (name: string) => defs.find((d) => d.name === name)!;

  it('defines /line, /circle and /oncall', () => {
    expect(defs.map((d) => d.name)).toEqual(['line', 'circle', 'oncall']);
  });

  it('/line has status, history, why with a required autocompleted string `unique`, and help', () => {
    const line = byName('line');
    expect(line.options.map((o) => [o.name, o.type])).toEqual([
      ['status', ApplicationCommandOptionType.Subcommand],
      ['history', ApplicationCommandOptionType.Subcommand],
      ['why', ApplicationCommandOptionType.Subcommand],
      ['help', ApplicationCommandOptionType.Subcommand],
    ]);
    for (const sub of line.options.slice(0, 3)) {
      expect(sub.options).toHaveLength(1);
      expect(sub.options![0]).toMatchObject({ name: 'unique', type: ApplicationCommandOptionType.String, required: true, autocomplete: true });
    }
    expect(line.options[3]!.options).toBeUndefined();
  });

  it('/circle status has a required autocompleted `circle` and an optional `type` with the 15 codes', () => {
    const circle = byName('circle');
    expect(circle.options).toHaveLength(1);
    const status = circle.options[0]!;
    expect(status).toMatchObject({ name: 'status', type: ApplicationCommandOptionType.Subcommand });
    const [circleOption, typeOption] = status.options!;
    expect(circleOption).toMatchObject({ name: 'circle', type: ApplicationCommandOptionType.String, required: true, autocomplete: true });
    expect(typeOption).toMatchObject({ name: 'type', type: ApplicationCommandOptionType.String, required: false });
    expect(typeOption!.autocomplete).toBeUndefined();
    expect(typeOption!.choices!.map((c) => c.value)).toEqual([...UNIQUE_TYPES]);
    expect(typeOption!.choices!.find((c) => c.value === 'sip_terminal')).toEqual({ name: 'SIP terminal', name_localizations: { ja: 'SIP端末' }, value: 'sip_terminal' });
  });

  it('/oncall has no required option', () => {
    const oncall = byName('oncall');
    expect(oncall.options.every((o) => o.required !== true)).toBe(true);
    expect(oncall.options.map((o) => o.name)).toEqual(['person', 'duration']);
  });

  it('every description is within 1-100 characters and localized in Japanese', () => {
    const walk = (o: Option): void => {
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(100);
      expect(o.description_localizations?.ja.length).toBeGreaterThan(0);
      expect(o.name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
      for (const c of o.choices ?? []) expect(c.name.length).toBeLessThanOrEqual(100);
      for (const child of o.options ?? []) walk(child);
    };
    for (const d of defs) walk(d);
  });

  it('parses --guild', () => {
    expect(parseRegisterArgs([])).toEqual({});
    expect(parseRegisterArgs(['--guild', '123456789012345678'])).toEqual({ guildId: '123456789012345678' });
    expect(parseRegisterArgs(['--guild=123456789012345678'])).toEqual({ guildId: '123456789012345678' });
    expect(() => parseRegisterArgs(['--guild'])).toThrow(/guild id/);
    expect(() => parseRegisterArgs(['--bogus'])).toThrow(/unknown argument/);
  });
});
