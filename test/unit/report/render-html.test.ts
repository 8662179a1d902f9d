import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../../pipeline/report/html.ts';
import { docMeta, fixtureMarkdown, figureCaptions, htmlIds, inPageTargets } from '../../browser/fixture.ts';

const zh = renderHtml(fixtureMarkdown('zh-TW'), docMeta('zh-TW', '2025-04-11T10:03:25Z'));
const en = renderHtml(fixtureMarkdown('en'), docMeta('en'));

test('every in-page link (the TOC, heading anchors) resolves to an element id', () => {
  for (const html of [zh, en]) {
    const ids = htmlIds(html);
    const targets = inPageTargets(html);
    assert.ok(targets.length >= 7 + 10, `expected TOC + heading anchor links, got ${targets.length}`);
    for (const t of targets) assert.ok(ids.has(t), `link #${t} has no target`);
  }
  assert.ok(htmlIds(zh).has('ghm-原理簡介'));
  assert.ok(htmlIds(en).has('ghm-vs-the-traditional-loss'));
});

test('headings carry an anchor link to themselves', () => {
  const h2 = [...zh.matchAll(/<h2 id="([^"]+)">(.*?)<\/h2>/g)];
  assert.equal(h2.length, 9);
  for (const [, id, inner] of h2) assert.match(inner, new RegExp(`<a class="anchor" href="#${id}"[^>]*>#</a>$`));
});

test('figures become <figure><img><figcaption> with the numbered captions in order', () => {
  const expected = figureCaptions(fixtureMarkdown('zh-TW'));
  const figs = [...zh.matchAll(/<figure id="figure-(\d+)" class="figure"><img src="([^"]+)" alt="([^"]*)"><figcaption>([^<]*)<\/figcaption><\/figure>/g)];
  assert.equal(figs.length, expected.length);
  figs.forEach((m, i) => {
    assert.equal(Number(m[1]), i + 1);
    assert.equal(m[2], expected[i].src);
    assert.equal(m[3], expected[i].alt);
    assert.equal(m[4], expected[i].caption);
    assert.ok(m[4].startsWith(`圖 ${i + 1}：`), `caption ${i + 1} is "${m[4]}"`);
  });
  assert.ok(!/<p>\s*<img/.test(zh), 'a figure paragraph was left as <p><img>');
});

test('a hostile title and hostile Markdown are escaped, raw HTML is dropped', () => {
  assert.match(zh, /<title>GHM 訓練結果報告 &#x3C;script>alert\("x"\)&#x3C;\/script> #import "evil.typ"<\/title>/);
  assert.ok(!/<script/i.test(zh), 'a <script> element reached the page');
  assert.match(zh, /<h1 id="[^"]*">GHM 訓練結果報告 &#x3C;script>alert\("x"\)&#x3C;\/script> #import "evil.typ"<\/h1>/);
  const html = renderHtml('# T\n\n<img src=x onerror="alert(1)"> text <iframe src="https://evil"></iframe>\n', {
    lang: 'en', title: '"><svg onload=alert(1)>', alternates: [],
  });
  assert.match(html, /<title>">&#x3C;svg onload=alert\(1\)><\/title>/);
  const outsideTitle = html.replace(/<title>.*?<\/title>/, '');
  assert.ok(!/onerror|onload|<iframe|<svg|<img src="x"/i.test(outsideTitle), 'raw HTML from the Markdown reached the page');
  assert.match(outsideTitle, /<p> text <\/p>/);
});

test('the language switch links the other language and marks the current one', () => {
  assert.match(zh, /<html lang="zh-TW">/);
  assert.match(zh, /<span class="current" lang="zh-TW" aria-current="page">繁體中文<\/span><a href="report\.en\.html" hreflang="en" lang="en" rel="alternate">English<\/a>/);
  assert.match(en, /<a href="report\.zh-TW\.html" hreflang="zh-TW" lang="zh-TW" rel="alternate">繁體中文<\/a><span class="current" lang="en" aria-current="page">English<\/span>/);
  assert.match(zh, /<link rel="alternate" hreflang="en" href="report\.en\.html">/);
});

test('the page is self-contained: CSS inlined with print rules, only relative resources', () => {
  assert.match(zh, /<style>[\s\S]*@media print[\s\S]*<\/style>/);
  assert.ok(!/<link[^>]+stylesheet/.test(zh));
  assert.ok(!/(src|href)="(https?:)?\/\//.test(zh), 'an absolute/remote resource is referenced');
  assert.match(zh, /<footer class="site-footer">報告產生時間：2025-04-11T10:03:25Z<\/footer>/);
  assert.ok(!/<footer/.test(en), 'no footer without generatedAt');
});

test('tables keep their alignment and sit in a scrolling wrapper', () => {
  assert.match(en, /<div class="table-wrap"><table>\s*<thead>\s*<tr>\s*<th align="left">Parameter<\/th>\s*<th align="right">Value<\/th>/);
});
