import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clampEmbeds, truncate, LIMITS } from '../../../../src/chat/discord/embed-limits.js';

describe('embed limits', () => {
  it('truncate never exceeds the limit nor leaves a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (text, max) => {
        const out = truncate(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        // No lone surrogate: encodeURIComponent throws URIError on one.
        expect(() => encodeURIComponent(out)).not.toThrow();
        if (text.length <= max) expect(out).toBe(text);
      }),
    );
  });

  it('clampEmbeds always fits every limit', () => {
    const field = fc.record({ name: fc.string({ maxLength: 400 }), value: fc.string({ maxLength: 1500 }) });
    const embed = fc.record({
      title: fc.string({ maxLength: 400 }),
      description: fc.string({ maxLength: 5000 }),
      fields: fc.array(field, { maxLength: 30 }),
    });
    fc.assert(
      fc.property(fc.array(embed, { maxLength: 12 }), (embeds) => {
        const out = clampEmbeds(embeds);
        expect(out.length).toBeLessThanOrEqual(LIMITS.embeds);
        let total = 0;
        for (const e of out) {
          expect((e.title ?? '').length).toBeLessThanOrEqual(LIMITS.title);
          expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
          expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
          for (const f of e.fields ?? []) {
            expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
            expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
            expect(f.value.trim()).not.toBe('');
            total += f.name.length + f.value.length;
          }
          total += (e.title ?? '').length + (e.description ?? '').length;
        }
        expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
      }),
      { numRuns: 100 },
    );
  });
});

describe('escapeMarkdown', () => {
  it('shows phone-supplied text literally', async () => {
    const { escapeMarkdown } = await import('../../../../src/chat/discord/embed-limits.js');
    expect(escapeMarkdown('*bold* _x_ `c` ~~s~~ ||spoiler|| [link](http://evil) <@123>')).toBe(
      '\\*bold\\* \\_x\\_ \\`c\\` \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\[link\\]\\(http://evil\\) \\<@123\\>',
    );
    expect(escapeMarkdown('# title\n- item')).toBe('\\# title\n\\- item');
    expect(escapeMarkdown('Yealink SIP-T46U 66.86.0.15')).toBe('Yealink SIP-T46U 66.86.0.15');
  });
});
