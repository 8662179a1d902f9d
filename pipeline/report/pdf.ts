/**
 * report.<lang>.pdf: the same Markdown typeset with Typst (typst-ts-node-compiler) — no browser,
 * no system fonts: the text font is the Noto Sans Traditional Chinese OTF shipped by
 * @embedpdf/fonts-tc, given to the compiler as font blobs, and glyph fallback is off so the output
 * depends on nothing installed on the machine. Figures are read from `figuresDir` and mapped into
 * the compiler's virtual file system.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { cjkFontDir } from '../lib/fonts.ts';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { DataError, StageError } from '../core/errors.ts';
import type { DocMeta } from './html.ts';
import { parseMarkdown } from './render/markdown.ts';
import { mdastToTypst } from './render/typst.ts';
import { typstString, typstText } from './render/escape.ts';
import { siteStrings } from './render/strings.ts';

/** Family name inside the OTFs of @embedpdf/fonts-tc. */
export const PDF_FONT = 'Noto Sans T Chinese';
const FONT_FILES = ['NotoSansHant-Regular.otf', 'NotoSansHant-Bold.otf'];
/** Root of the compiler's virtual file system (nothing is read from this path on disk). */
const ROOT = '/ghm-report';

let compiler: NodeCompiler | undefined;


async function getCompiler(): Promise<NodeCompiler> {
  if (compiler) return compiler;
  const dir = cjkFontDir();
  const fontBlobs = await Promise.all(FONT_FILES.map(async (f) => {
    const path = join(dir, f);
    if (!existsSync(path)) throw new StageError(`report PDF: the font file ${path} is missing; @embedpdf/fonts-tc must be installed (npm ci).`);
    return readFile(path);
  }));
  compiler = NodeCompiler.create({ workspace: ROOT, fontArgs: [{ fontBlobs }] });
  return compiler;
}

/** Typst `datetime(...)` for an ISO date/time string, or `none` when it does not parse. */
function typstDate(iso: string | undefined): string {
  if (!iso) return 'none';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'none';
  return `datetime(year: ${d.getUTCFullYear()}, month: ${d.getUTCMonth() + 1}, day: ${d.getUTCDate()}, hour: ${d.getUTCHours()}, minute: ${d.getUTCMinutes()}, second: ${d.getUTCSeconds()})`;
}

function preamble(meta: DocMeta): string {
  const [lang, region] = meta.lang.split('-');
  const regionArg = region ? `, region: ${typstString(region.toLowerCase())}` : '';
  return [
    `#set document(title: ${typstString(meta.title)}, date: ${typstDate(meta.generatedAt)})`,
    '#set page(paper: "a4", margin: (x: 2cm, top: 2cm, bottom: 2.2cm), numbering: "1 / 1", number-align: center)',
    `#set text(font: ${typstString(PDF_FONT)}, fallback: false, size: 10.5pt, lang: ${typstString(lang.toLowerCase())}${regionArg})`,
    '#set par(justify: true, leading: 0.85em, spacing: 1.1em)',
    '#set list(indent: 0.6em)',
    '#set enum(indent: 0.6em)',
    '#show heading: set block(above: 1.5em, below: 0.8em)',
    '#show heading: set par(justify: false)',
    '#show heading.where(level: 1): it => block(width: 100%, below: 1.4em, align(center, text(size: 20pt, weight: "bold", it.body)))',
    '#show heading.where(level: 2): set text(size: 15pt)',
    '#show heading.where(level: 3): set text(size: 12.5pt)',
    '#show link: set text(fill: rgb("#1f5fbf"))',
    // Typst shrinks raw text to 0.8em in its own (monospace) font; back to ~0.92em in ours
    '#show raw: set text(font: ' + typstString(PDF_FONT) + ', size: 1.15em)',
    '#show raw.where(block: false): box.with(fill: luma(240), inset: (x: 2pt), outset: (y: 2.5pt), radius: 2pt)',
    '#show raw.where(block: true): it => block(fill: luma(245), inset: 8pt, radius: 3pt, width: 100%, it)',
    '#set table(stroke: 0.5pt + luma(170), inset: 5pt)',
    '#show table: set text(size: 9.5pt)',
    '#show figure: set block(breakable: false, above: 1.2em, below: 1.2em)',
    '#show figure.caption: set text(size: 9pt, fill: luma(70))',
    '',
  ].join('\n');
}

interface ImageRef { virtual: string; file: string; alt: string }

/** Where the file behind an image URL of the Markdown lies: inside `figuresDir`, never outside. */
function resolveImage(url: string, alt: string, figuresDir: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/') || url.startsWith('\\')) {
    throw new DataError(`report PDF: the figure "${alt}" links to "${url}"; only relative links to files in ${figuresDir} can be embedded.`);
  }
  let rel = posix.normalize(decodeURI(url).replace(/^\.\//, ''));
  const dirName = basename(figuresDir);
  if (rel.startsWith(dirName + '/')) rel = rel.slice(dirName.length + 1);
  if (rel === '..' || rel.startsWith('../')) {
    throw new DataError(`report PDF: the figure "${alt}" links to "${url}", which lies outside the figures folder ${figuresDir}.`);
  }
  return join(figuresDir, rel);
}

/** The Typst source of a report (exported for tests and debugging). */
export function reportTypst(markdown: string, meta: DocMeta, figuresDir: string): { source: string; images: ImageRef[] } {
  const images = new Map<string, ImageRef>();
  const body = mdastToTypst(parseMarkdown(markdown), {
    imagePath(url, alt) {
      const file = resolveImage(url, alt, figuresDir);
      let ref = images.get(file);
      if (!ref) {
        ref = { virtual: `/figures/${images.size + 1}-${basename(file)}`, file, alt };
        images.set(file, ref);
      }
      return ref.virtual;
    },
  });
  const footer = meta.generatedAt
    ? `\n#v(1.5em)\n#text(size: 8.5pt, fill: luma(90))[${typstText(siteStrings(meta.lang)('page.generatedAt', { date: meta.generatedAt }))}]\n`
    : '';
  return { source: preamble(meta) + body + footer, images: [...images.values()] };
}

function diagnostics(list: unknown[] | undefined): string {
  return (list ?? []).map((d) => {
    const r = d as { message?: string; range?: string | null };
    return `${r.message ?? String(d)}${r.range ? ` (at ${r.range})` : ''}`;
  }).join('; ');
}

export async function renderPdf(markdown: string, meta: DocMeta, figuresDir: string): Promise<Uint8Array> {
  const { source, images } = reportTypst(markdown, meta, figuresDir);
  const files = await Promise.all(images.map(async (img) => {
    if (!existsSync(img.file)) {
      throw new DataError(`report PDF: the figure "${img.alt}" (${img.file}) does not exist; the charts stage should have written it.`);
    }
    return { img, data: await readFile(img.file) };
  }));
  const c = await getCompiler();
  // From here on everything is synchronous, so concurrent renders cannot see each other's files.
  c.resetShadow();
  for (const { img, data } of files) c.mapShadow(ROOT + img.virtual, data);
  const result = c.compile({ mainFileContent: source });
  const doc = result.result;
  if (result.hasError() || !doc) {
    const err = result.takeError();
    throw new StageError(`report PDF (${meta.lang}): Typst could not typeset the report: ${diagnostics(err?.shortDiagnostics) || 'no diagnostics'}.`);
  }
  // with glyph fallback off, a font Typst cannot find would leave the text invisible: fail instead
  const fontWarnings = (result.takeWarnings()?.shortDiagnostics ?? []).filter((d) => /font/i.test(String((d as { message?: string }).message)));
  if (fontWarnings.length > 0) {
    throw new StageError(`report PDF (${meta.lang}): ${diagnostics(fontWarnings)}; the fonts of @embedpdf/fonts-tc (family "${PDF_FONT}") are expected in ${cjkFontDir()}.`);
  }
  const pdf = c.pdf(doc);
  c.resetShadow();
  c.evictCache(10);
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
