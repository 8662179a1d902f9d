/**
 * Locale messages: i18next with one JSON file per language and namespace,
 * `locales/<lang>/<namespace>.json` (every key in both languages; `npm run i18n:check`).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';
import { LANGUAGES, type Language } from '../core/schema.ts';

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'locales');

export type T = (key: string, vars?: Record<string, unknown>) => string;

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Every namespace file of every language under `dir`. */
export function readLocales(dir = LOCALES_DIR): Resources {
  const res: Resources = {};
  for (const lang of LANGUAGES) {
    const ldir = join(dir, lang);
    res[lang] = {};
    if (!existsSync(ldir)) continue;
    for (const f of readdirSync(ldir).filter((f) => f.endsWith('.json')).sort())
      res[lang][f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(ldir, f), 'utf8'));
  }
  return res;
}

const instances = new Map<string, i18n>();

function instance(lang: Language, dir: string): i18n {
  const id = `${dir}\u0000${lang}`;
  let inst = instances.get(id);
  if (!inst) {
    const resources = readLocales(dir);
    inst = i18next.createInstance();
    inst.init({
      lng: lang,
      fallbackLng: false,
      resources: { [lang]: resources[lang] },
      ns: Object.keys(resources[lang]),
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      returnEmptyString: false,
      showSupportNotice: false,
    } as Parameters<i18n['init']>[0]);
    instances.set(id, inst);
  }
  return inst;
}

/**
 * A translator for one language and namespace. A missing key throws, naming the language,
 * namespace and key, rather than printing the key into a report.
 */
export function createT(lang: Language, ns: string, dir = LOCALES_DIR): T {
  const inst = instance(lang, dir);
  const t = inst.getFixedT(lang, ns);
  return (key, vars) => {
    if (!inst.exists(key, { ns, lng: lang, ...(vars ?? {}) }) && !inst.exists(key, { ns, lng: lang }))
      throw new Error(`locale ${lang}/${ns}.json has no message "${key}"`);
    return t(key, vars as Record<string, unknown>) as string;
  };
}

/** Every leaf of a nested message object as [dotted key, value]. */
export function flattenMessages(value: unknown, prefix = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenMessages(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, value]];
}
