import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReview, splitSections } from '../../../pipeline/report/review.ts';
import { fixtureMarkdown, fixtureTitle, htmlIds, inPageTargets } from '../../browser/fixture.ts';

const zhMd = [
  '# 標題', '', '摘要文字。', '',
  '## 甲節', '', '第一段。', '',
  '## 乙節', '', '### 小節', '', '![圖](figures/a.png "圖 1：說明")', '',
].join('\n');
const enMd = [
  '# Title', '', 'Summary text.', '',
  '## Section A', '', 'First paragraph.', '',
  '## Section B', '', '### Sub', '', 'No figure here.', '',
  '## Section C', '', 'Only in English.', '',
].join('\n');

function rows(html: string): { head: string; cells: string[] }[] {
  const out: { head: string; cells: string[] }[] = [];
  const re = /<tr class="section-head[^"]*" id="row-\d+"><td colspan="\d+">(.*?)<\/td><\/tr><tr class="section-body">(.*?)<\/tr>(?=<tr class="section-head|<\/tbody>)/gs;
  for (const m of html.matchAll(re)) out.push({ head: m[1], cells: [...m[2].matchAll(/<td lang="[^"]+"[^>]*>(.*?)<\/td>/gs)].map((c) => c[1]) });
  return out;
}

test('sections split at h2, the part before the first h2 is the preamble', () => {
  const s = splitSections({ lang: 'zh-TW', title: 't', markdown: zhMd }, '#');
  assert.deepEqual(s.map((x) => x.heading), [null, '甲節', '乙節']);
  assert.deepEqual(s[2].shape, { figures: 1, tables: 0, subsections: 1, listItems: 0 });
  const noPreamble = splitSections({ lang: 'en', title: 't', markdown: '## A\n\nx\n' }, '#');
  assert.deepEqual(noPreamble.map((x) => x.heading), ['A']);
});

test('sections are aligned by order; missing sections and structural differences are flagged', () => {
  const html = renderReview([
    { lang: 'zh-TW', title: '標題', markdown: zhMd },
    { lang: 'en', title: 'Title', markdown: enMd },
  ]);
  const r = rows(html);
  assert.equal(r.length, 4);
  assert.equal(r[0].head, '開頭（標題與摘要）');
  assert.match(r[1].cells[0], /甲節/);
  assert.match(r[1].cells[1], /Section A/);
  assert.equal(r[1].head, '第 1 節');
  assert.match(r[2].head, /^第 2 節 — 結構不一致：圖 1 \/ 0$/);
  assert.match(r[2].cells[0], /乙節[\s\S]*<figure/);
  assert.match(r[2].cells[1], /Section B/);
  assert.equal(r[3].cells[0], '此語言沒有對應的第 3 節。');
  assert.match(r[3].cells[1], /Only in English/);
  assert.match(html, /<p class="notice">各語言的章節數不同：zh-TW 2, en 3。<\/p>/);
  assert.match(html, /<td lang="zh-TW" class="missing">/);
});

test('a document without an opening part keeps its h2 sections aligned', () => {
  const html = renderReview([
    { lang: 'zh-TW', title: '標題', markdown: zhMd },
    { lang: 'en', title: 'Title', markdown: '## Section A\n\nx\n\n## Section B\n\n### Sub\n\n![f](figures/a.png "Figure 1: c")\n' },
  ]);
  const r = rows(html);
  assert.equal(r.length, 3);
  assert.equal(r[0].cells[1], 'This language has no opening part (title and summary).');
  assert.match(r[1].cells[1], /Section A/);
  assert.match(r[2].cells[1], /Section B/);
  assert.equal(r[2].head, '第 2 節');
  assert.ok(!html.includes('class="notice"'));
});

test('the fixture report pairs every section, with ids and in-page links kept apart per language', () => {
  const html = renderReview((['zh-TW', 'en'] as const).map((lang) => ({ lang, title: fixtureTitle(lang), markdown: fixtureMarkdown(lang) })));
  const r = rows(html);
  assert.equal(r.length, 10);
  for (const row of r) {
    assert.equal(row.cells.length, 2);
    assert.ok(!/mismatch|結構不一致/.test(row.head), `unexpected mismatch: ${row.head}`);
  }
  assert.match(r[3].cells[0], /<h2 id="zh-TW-ghm-原理簡介">/);
  assert.match(r[3].cells[1], /<h2 id="en-ghm-in-brief">/);
  const ids = htmlIds(html);
  const targets = inPageTargets(html);
  assert.ok(targets.some((t) => t === 'zh-TW-實驗設置') && targets.some((t) => t === 'en-experiment-set-up'));
  for (const t of targets) assert.ok(ids.has(t), `#${t} does not resolve`);
  assert.ok(!/<script/i.test(html));
  assert.match(html, /<title>雙語對照檢查：GHM 訓練結果報告 &#x3C;script>/);
});
