import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { renderPdf, reportTypst } from '../../../pipeline/report/pdf.ts';
import { typstText, typstString } from '../../../pipeline/report/render/escape.ts';
import { DataError } from '../../../pipeline/core/errors.ts';
import { docMeta, fixtureMarkdown, fixtureTitle, figureCaptions, drawPng } from '../../browser/fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'render-pdf-'));
const figures = join(dir, 'figures');
mkdirSync(figures);
for (const lang of ['zh-TW', 'en'] as const) {
  figureCaptions(fixtureMarkdown(lang)).forEach((f, i) => writeFileSync(join(dir, f.src), drawPng(160, 100, i + 1)));
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

function pdfText(pdf: Uint8Array): string {
  const file = join(dir, `t-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function pageCount(pdf: Uint8Array): number {
  const s = Buffer.from(pdf).toString('latin1');
  const m = /\/Type\s*\/Pages\b[^]*?\/Count\s+(\d+)/.exec(s) ?? /\/Count\s+(\d+)[^]*?\/Type\s*\/Pages\b/.exec(s);
  return m ? Number(m[1]) : (s.match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
}

const squash = (s: string) => s.replace(/\s+/g, '');

test('the zh-TW PDF has pages, the embedded npm CJK font and, as text, the title and captions', async (t) => {
  const pdf = await renderPdf(fixtureMarkdown('zh-TW'), docMeta('zh-TW', '2025-04-11T10:03:25Z'), figures);
  const head = Buffer.from(pdf.subarray(0, 8)).toString('latin1');
  assert.ok(head.startsWith('%PDF-'), head);
  assert.ok(pageCount(pdf) >= 2, `pages: ${pageCount(pdf)}`);
  const raw = Buffer.from(pdf).toString('latin1');
  assert.match(raw, /NotoSansHant-Regular/);
  assert.ok(!/LibertinusSerif|DejaVu/.test(raw), 'a font other than the npm CJK font was used');
  // each figure is one image XObject (plus a soft mask for the PNG's alpha channel)
  assert.ok((raw.match(/\/Subtype\s*\/Image/g) ?? []).length >= figureCaptions(fixtureMarkdown('zh-TW')).length);
  if (!hasPdftotext) {
    t.skip('pdftotext not installed (apt-get install poppler-utils): text checks skipped');
    return;
  }
  const text = pdfText(pdf);
  assert.ok(squash(text).includes(squash(fixtureTitle('zh-TW'))), `title missing from:\n${text.slice(0, 300)}`);
  for (const f of figureCaptions(fixtureMarkdown('zh-TW'))) assert.ok(squash(text).includes(squash(f.caption!)), f.caption!);
  assert.match(text, /^1\s*\/\s*\d+$/m, 'page numbers');
  assert.ok(text.includes('報告產生時間：2025-04-11T10:03:25Z'));
});

test('hostile text stays text: Typst markup and code in titles and Markdown are escaped', async (t) => {
  const hostile = '#import "x.typ": * // $x$ <lab> @ref [b] *s* _e_ `c` \\ ~ = - + / \' " .: #{ panic("boom") }';
  const md = `# Title ${hostile.replace(/[\\`*_[\]<>#]/g, '\\$&')}\n\n= not a heading\n- a\n\n${'`' + '#raw("x")' + '`'}\n`;
  const meta = { lang: 'en' as const, title: `t ${hostile}\nline2`, alternates: [] };
  const { source } = reportTypst(md, meta, figures);
  // the title is a string literal; in the body every '#' that we did not write ourselves is escaped
  const body = source.slice(source.indexOf('#heading(level: 1)'));
  assert.ok(!/[^\\]#import|[^\\]#\{ panic/.test(body), body);
  assert.ok(source.includes(`#set document(title: ${typstString(meta.title)}`));
  const pdf = await renderPdf(md, meta, figures);
  assert.ok(pageCount(pdf) >= 1);
  if (!hasPdftotext) {
    t.skip('pdftotext not installed: text round trip skipped');
    return;
  }
  const text = pdfText(pdf);
  assert.ok(squash(text).includes(squash(`Title ${hostile}`)), text);
  assert.ok(text.includes('#raw("x")'));
});

test('typstText escapes every markup character and flattens line breaks', () => {
  assert.equal(typstText('a#b*c_d\n= e'), 'a\\#b\\*c\\_d \\= e');
  assert.equal(typstText('中文 1.5%'), '中文 1\\.5%');
  assert.equal(typstString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
});

test('figures resolve inside the figures folder only, with clear errors', async () => {
  const meta = docMeta('en');
  await assert.rejects(renderPdf('![x](figures/none.png "Figure 1: x")\n', meta, figures),
    (e: unknown) => e instanceof DataError && /none\.png/.test(e.message) && /"x"/.test(e.message));
  await assert.rejects(renderPdf('![y](../secret.png)\n', meta, figures),
    (e: unknown) => e instanceof DataError && /outside the figures folder/.test(e.message));
  await assert.rejects(renderPdf('![z](https://example.com/a.png)\n', meta, figures),
    (e: unknown) => e instanceof DataError && /only relative links/.test(e.message));
});

test('the same input gives byte-identical PDFs (no timestamps without generatedAt)', async () => {
  const md = fixtureMarkdown('en');
  const a = await renderPdf(md, docMeta('en'), figures);
  const b = await renderPdf(md, docMeta('en'), figures);
  assert.equal(Buffer.compare(Buffer.from(a), Buffer.from(b)), 0);
});

test('TOC links become links to heading labels in the Typst source', () => {
  const { source } = reportTypst(fixtureMarkdown('en'), docMeta('en'), figures);
  assert.match(source, /#heading\(level: 2\)\[GHM in brief\] <sec-(\d+)>/);
  const label = /#heading\(level: 2\)\[GHM in brief\] <(sec-\d+)>/.exec(source)![1];
  assert.ok(source.includes(`#link(<${label}>)[GHM in brief];`));
});
