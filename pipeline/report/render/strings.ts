/**
 * The renderers' own interface strings (language switch, review page, site index), from
 * `locales/<lang>/site.json` through i18next. Values are inserted unescaped because every string
 * ends up in a hast tree or in Typst text, which escape on their own.
 */
import { readFileSync } from 'node:fs';
import { createInstance, type TFunction } from 'i18next';
import type { Language } from '../../core/schema.ts';

const LOCALES = new URL('../../../locales/', import.meta.url);
const cache = new Map<Language, TFunction>();

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export function siteStrings(lang: Language): Translate {
  let t = cache.get(lang);
  if (!t) {
    const site = JSON.parse(readFileSync(new URL(`${lang}/site.json`, LOCALES), 'utf8')) as Record<string, unknown>;
    const i18n = createInstance();
    void i18n.init({
      lng: lang,
      fallbackLng: false,
      initAsync: false,
      resources: { [lang]: { site } },
      ns: ['site'],
      defaultNS: 'site',
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    t = i18n.t;
    cache.set(lang, t);
  }
  const tf = t;
  return (key, vars) => tf(key, vars ?? {}) as string;
}
