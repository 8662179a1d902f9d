/**
 * `npm run i18n:check [folder]`: every message file under `<folder>/<lang>/<ns>.json` (and a flat
 * `<folder>/<lang>.json`, namespace "(root)") must agree across LANGUAGES — the same keys (plural
 * forms per each language's own plural rules), no empty message, the same interpolation variables
 * ({{var}}, {{var, format}}, {{- var}}) and the same nested references ($t(key)). Exits 1 with the
 * list of problems, 0 when the locales agree. Default folder: locales/ at the repository root.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../pipeline/core/schema.ts';
import { flattenMessages } from '../pipeline/lib/i18n.ts';

export interface Problem { file: string; key?: string; message: string }

const ROOT_NS = '(root)';
const PLURAL_SUFFIX = /_(?:ordinal_)?(zero|one|two|few|many|other)$/;
const VARIABLE = /\{\{\s*-?\s*([^,}\s]+)[^}]*\}\}/g;
const NESTING = /\$t\(\s*([^,)\s]+)/g;

interface Message { key: string; base: string; form: string | null; value: unknown }

function flatten(value: unknown, prefix: string, out: Message[]): void {
  for (const [key, v] of flattenMessages(value, prefix)) {
    const m = PLURAL_SUFFIX.exec(key);
    out.push({ key, base: m ? key.slice(0, m.index) : key, form: m ? key.slice(m.index + 1) : null, value: v });
  }
}

/** Namespace → file, for one language. */
function namespaces(dir: string, lang: string): Map<string, string> {
  const out = new Map<string, string>();
  const flat = join(dir, `${lang}.json`);
  if (existsSync(flat)) out.set(ROOT_NS, flat);
  const sub = join(dir, lang);
  if (existsSync(sub) && statSync(sub).isDirectory()) {
    for (const f of readdirSync(sub).filter((f) => f.endsWith('.json')).sort()) out.set(f.slice(0, -5), join(sub, f));
  }
  return out;
}

function variables(messages: Message[], re: RegExp): Set<string> {
  const out = new Set<string>();
  for (const m of messages) {
    if (typeof m.value !== 'string') continue;
    for (const match of m.value.matchAll(re)) out.add(match[1]);
  }
  return out;
}

function diff(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

function requiredForms(lang: string, ordinal: boolean): string[] {
  return new Intl.PluralRules(lang, { type: ordinal ? 'ordinal' : 'cardinal' }).resolvedOptions().pluralCategories;
}

export function checkLocales(dir: string, languages: readonly string[] = LANGUAGES): Problem[] {
  const problems: Problem[] = [];
  const rel = (p: string) => relative(process.cwd(), p) || p;
  if (!existsSync(dir)) return [{ file: rel(dir), message: 'the locales folder does not exist' }];

  const files = new Map(languages.map((l) => [l, namespaces(dir, l)]));
  const allNs = new Set([...files.values()].flatMap((m) => [...m.keys()]));
  if (allNs.size === 0) problems.push({ file: rel(dir), message: `no message files found (expected ${languages.map((l) => `${l}/<namespace>.json`).join(', ')})` });

  for (const ns of [...allNs].sort()) {
    const perLang = new Map<string, Map<string, Message[]>>();
    for (const lang of languages) {
      const file = files.get(lang)!.get(ns);
      const expected = ns === ROOT_NS ? join(dir, `${lang}.json`) : join(dir, lang, `${ns}.json`);
      if (!file) { problems.push({ file: rel(expected), message: `missing: namespace "${ns}" exists in another language but not in ${lang}` }); continue; }
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        problems.push({ file: rel(file), message: `not valid JSON: ${(e as Error).message}` });
        continue;
      }
      const list: Message[] = [];
      flatten(data, '', list);
      const grouped = new Map<string, Message[]>();
      for (const m of list) {
        if (typeof m.value !== 'string' || m.value.trim() === '') {
          problems.push({ file: rel(file), key: m.key, message: typeof m.value === 'string' ? 'empty message' : `not a message: ${JSON.stringify(m.value)}` });
        }
        grouped.set(m.base, [...(grouped.get(m.base) ?? []), m]);
      }
      for (const [base, msgs] of grouped) {
        const forms = msgs.filter((m) => m.form !== null);
        if (forms.length === 0) continue;
        const ordinal = forms.some((m) => m.form!.startsWith('ordinal_'));
        const have = new Set(forms.map((m) => m.form!.replace('ordinal_', '')));
        const missing = requiredForms(lang, ordinal).filter((f) => !have.has(f));
        if (missing.length > 0) problems.push({ file: rel(file), key: base, message: `plural forms missing for ${lang}: ${missing.map((f) => `${base}_${ordinal ? 'ordinal_' : ''}${f}`).join(', ')}` });
      }
      perLang.set(lang, grouped);
    }

    const langs = [...perLang.keys()];
    const bases = new Set(langs.flatMap((l) => [...perLang.get(l)!.keys()]));
    for (const base of [...bases].sort()) {
      const present = langs.filter((l) => perLang.get(l)!.has(base));
      for (const l of langs.filter((x) => !present.includes(x))) {
        problems.push({ file: rel(files.get(l)!.get(ns)!), key: base, message: `missing key (present in ${present.join(', ')})` });
      }
      for (const [kind, re] of [['interpolation variables', VARIABLE], ['nested $t() references', NESTING]] as const) {
        const sets = present.map((l) => variables(perLang.get(l)!.get(base)!, re));
        for (let i = 1; i < present.length; i++) {
          const onlyA = diff(sets[0], sets[i]);
          const onlyB = diff(sets[i], sets[0]);
          if (onlyA.length || onlyB.length) {
            const parts = [onlyA.length ? `only in ${present[0]}: ${onlyA.join(', ')}` : '', onlyB.length ? `only in ${present[i]}: ${onlyB.join(', ')}` : ''].filter(Boolean);
            problems.push({ file: rel(files.get(present[i])!.get(ns)!), key: base, message: `${kind} differ (${parts.join('; ')})` });
          }
        }
      }
    }
  }
  return problems;
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `  ${p.file}${p.key ? ` [${p.key}]` : ''}: ${p.message}`).join('\n');
}

function main(): void {
  const dir = resolve(process.argv[2] ?? fileURLToPath(new URL('../locales/', import.meta.url)));
  const problems = checkLocales(dir);
  if (problems.length > 0) {
    process.stderr.write(`i18n check failed: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dir}\n${formatProblems(problems)}\n`);
    process.exitCode = 1;
    return;
  }
  const count = LANGUAGES.map((l) => namespaces(dir, l).size).reduce((a, b) => a + b, 0);
  process.stdout.write(`i18n check passed: ${LANGUAGES.join(', ')} agree across ${count} message files in ${dir}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
