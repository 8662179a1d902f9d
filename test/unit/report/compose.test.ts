/** The composed Markdown: TOC, escaping of YAML text, figures, optional sections, no leftovers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import type { Heading, Image, Link, List, Root } from 'mdast';
import type { Element, Root as HastRoot } from 'hast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeSlug from 'rehype-slug';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { resolveConfig } from '../../../pipeline/core/config.ts';
import { LANGUAGES } from '../../../pipeline/core/schema.ts';
import { composeFixture, FIXTURE, fixtureConfig, fixtureInputs } from './fixture.ts';

const parse = (md: string) => unified().use(remarkParse).use(remarkGfm).parse(md) as Root;
const inputs = fixtureInputs();

function configWith(edit: (raw: any) => void) {
  const raw = load(readFileSync(join(FIXTURE, 'experiment.yaml'), 'utf8')) as any;
  edit(raw);
  return resolveConfig(join(FIXTURE, 'experiment.yaml'), raw);
}

for (const lang of LANGUAGES) {
  test(`${lang}: the TOC lists every h2 in order, with the slugs rehype-slug gives the HTML`, () => {
    const md = composeFixture(lang, inputs).markdown;
    const tree = parse(md);
    const headings: Heading[] = [];
    visit(tree, 'heading', (h: Heading) => { headings.push(h); });
    const tocIndex = tree.children.findIndex((n) => n.type === 'list');
    const toc = tree.children[tocIndex] as List;
    const tocHeading = tree.children[tocIndex - 1] as Heading;
    assert.equal(tocHeading.type, 'heading');
    const h2 = headings.filter((h) => h.depth === 2 && h !== tocHeading).map((h) => toString(h));
    const links: Link[] = toc.children.map((item) => {
      let first: Link | undefined;
      visit(item.children[0], 'link', (l: Link) => { first ??= l; });
      return first!;
    });
    assert.deepEqual(links.map((l) => toString(l)), h2);
    assert.ok(h2.length >= 10, `expected the seed report's sections, got ${h2.length}`);

    const hast = unified().use(remarkRehype).use(rehypeSlug).runSync(tree) as unknown as HastRoot;
    const ids = new Set<string>();
    visit(hast, 'element', (el: Element) => { if (/^h[1-6]$/.test(el.tagName) && el.properties.id) ids.add(String(el.properties.id)); });
    const allLinks: string[] = [];
    visit(toc, 'link', (l: Link) => { allLinks.push(l.url); });
    for (const url of allLinks) assert.ok(ids.has(decodeURIComponent(url.slice(1))), `TOC link ${url} has no heading id in the HTML`);
  });

  test(`${lang}: title and notes from the YAML stay literal text`, () => {
    const c = fixtureConfig();
    const tree = parse(composeFixture(lang, inputs).markdown);
    const h1 = tree.children[0] as Heading;
    assert.equal(h1.depth, 1);
    assert.equal(toString(h1), c.title[lang]);
    let html = 0;
    visit(tree, 'html', () => { html++; });
    assert.equal(html, 0, 'no raw HTML may reach the Markdown');
    assert.ok(toString(tree).includes('<script>alert(1)</script>'));
  });

  test(`${lang}: figures are numbered in order and link to files the charts stage made`, () => {
    const doc = composeFixture(lang, inputs);
    const images: Image[] = [];
    visit(parse(doc.markdown), 'image', (i: Image) => { images.push(i); });
    assert.equal(images.length, doc.figures.length);
    assert.equal(images.length, 10);
    images.forEach((img, i) => {
      assert.match(img.url, /^figures\/[^/]+\.png$/);
      assert.ok(img.alt && img.alt.length > 0);
      assert.match(img.title ?? '', new RegExp(`^(Figure ${i + 1}: |圖 ${i + 1}：).+`));
    });
    for (const f of doc.figures) assert.ok(existsSync(join(inputs.chartsDir, f.chartFile)), f.chartFile);
    assert.deepEqual(doc.missingFigures, []);
  });
}

test('no directive survives composition', () => {
  for (const lang of LANGUAGES) {
    const md = composeFixture(lang, inputs).markdown;
    assert.doesNotMatch(md, /(^|\s)::?[a-z]+\{/m);
    assert.doesNotMatch(md, /^:::/m);
    assert.doesNotMatch(md, /\{\{/);
  }
});

test('switched-off analyses drop their sections and claims', () => {
  const c = configWith((raw) => { raw.analyses.imbalance.enabled = false; raw.analyses.linear.enabled = false; });
  const inp = { ...inputs, config: c, imbalance: undefined, linear: undefined };
  const md = composeFixture('en', inp).markdown;
  assert.doesNotMatch(md, /## Imbalanced-data test/);
  assert.doesNotMatch(md, /## GHM vs the traditional loss/);
  assert.doesNotMatch(md, /Linear model: final accuracy/);
  assert.match(md, /Of the 13 claims of the seed report/);
  assert.doesNotMatch(md, /imbalanced_gradient_distribution/);
});

test('one frequency, one seed: no ± and the single-seed caveat', () => {
  const c = configWith((raw) => { raw.seeds = [1]; raw.data.frequencies = ['3000hz']; });
  const keep = (id: string) => id.startsWith('3000hz-') && id.endsWith('-s1');
  const inp = {
    ...inputs, config: c,
    histories: new Map([...inputs.histories].filter(([id]) => keep(id))),
    summary: { rows: inputs.summary.rows.filter((r) => r.seed === 1 && r.frequency === '3000hz') },
    snapshots: { runs: inputs.snapshots.runs.filter((r) => r.seed === 1) },
    linear: { ...inputs.linear!, runs: inputs.linear!.runs.filter((r) => r.seed === 1) },
    datasets: inputs.datasets.slice(0, 1).map((d) => ({ ...d, splits: d.splits.slice(0, 1), pairs: d.pairs.slice(0, 1) })),
  };
  const md = composeFixture('en', inp).markdown;
  assert.doesNotMatch(md, /\d\u00a0±\u00a0\d/, 'a single seed has no standard deviation to show');
  assert.match(md, /All results come from a single seed \(1\)/);
  assert.doesNotMatch(md, /Paired t-test/);
});

test('no baseline: comparisons say so instead of inventing numbers', () => {
  const c = configWith((raw) => { raw.train.losses.baseline = false; });
  const inp = {
    ...inputs, config: c,
    histories: new Map([...inputs.histories].filter(([id]) => id.includes('-ghm-'))),
    summary: { rows: inputs.summary.rows.filter((r) => r.loss === 'ghm') },
  };
  const md = composeFixture('en', inp).markdown;
  assert.match(md, /No baseline run was trained/);
  const training = md.slice(md.indexOf('## Training results'), md.indexOf('## Gradient distribution'));
  assert.doesNotMatch(training, /Baseline/);
  assert.doesNotMatch(md, /GHM minus baseline/);
});
