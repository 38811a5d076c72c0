/**
 * Localised text: every message the product shows exists in Japanese and English.
 *
 * Each module owns its messages (`defineMessages` in its own `messages.ts`) so no single catalog
 * file grows into a god module; this file only provides the mechanics.
 */
export type Locale = 'ja' | 'en';

export const LOCALES: readonly Locale[] = ['ja', 'en'];

/** One message in both languages; `{name}` placeholders are filled by `translate`. */
export interface LocalizedText {
  readonly ja: string;
  readonly en: string;
}

/** Typed identity helper so message tables keep their literal keys. */
export function defineMessages<K extends string>(messages: Record<K, LocalizedText>): Record<K, LocalizedText> {
  return messages;
}

/** Fills `{placeholders}`; unknown placeholders are left visible so a missing value is noticed in review. */
export function translate(
  text: LocalizedText,
  locale: Locale,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return text[locale].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** A translator bound to one locale, the form most callers want. */
export type Translator = (text: LocalizedText, params?: Readonly<Record<string, string | number>>) => string;

export function translatorFor(locale: Locale): Translator {
  return (text, params) => translate(text, locale, params);
}
