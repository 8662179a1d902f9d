/** The statistics behind the findings, and number formatting / escaping for sentences. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { toString } from 'mdast-util-to-string';
import {
  entropyBits, halfReductionEpoch, normalizedEntropy, pairedTest, ranks, roughness, sd, spearman, tTwoSidedP, windowOf,
} from '../../../pipeline/report/stats.ts';
import { escapeMarkdown, joinSentences, num, pText, quantityText, signed } from '../../../pipeline/report/format.ts';
import { Messages, raw } from '../../../pipeline/report/messages.ts';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('Student t two-sided p-values match the tables', () => {
  close(tTwoSidedP(12.7062, 1), 0.05, 1e-4, 'df 1');
  close(tTwoSidedP(2.776445, 4), 0.05, 1e-5, 'df 4');
  close(tTwoSidedP(2.228139, 10), 0.05, 1e-5, 'df 10');
  close(tTwoSidedP(1.959964, 1e7), 0.05, 1e-4, 'normal limit');
  close(tTwoSidedP(0, 5), 1, 1e-12, 't = 0');
});

test('paired t-test on differences', () => {
  const r = pairedTest([1, 2, 3]);
  assert.equal(r.n, 3);
  close(r.meanDiff, 2, 1e-12);
  close(r.sdDiff, 1, 1e-12);
  close(r.t, 2 * Math.sqrt(3), 1e-12);
  close(r.p, 1 - r.t / Math.sqrt(r.t * r.t + 2), 1e-9, 'closed form for df 2');
  assert.ok(Number.isNaN(pairedTest([4]).p), 'one pair: no test');
  assert.equal(pairedTest([2, 2, 2]).p, 0, 'identical non-zero differences');
});

test('ranks and Spearman correlation', () => {
  assert.deepEqual(ranks([3, 1, 1, 2]), [4, 1.5, 1.5, 3]);
  close(spearman([1, 2, 3, 4], [10, 40, 90, 160]), 1, 1e-12);
  close(spearman([1, 2, 3], [3, 2, 1]), -1, 1e-12);
  close(spearman([1, 2, 3, 4], [4, 1, 3, 2]), -0.4, 1e-12);
  assert.ok(Number.isNaN(spearman([1, 2, 3], [5, 5, 5])));
});

test('curve measures', () => {
  assert.equal(halfReductionEpoch([10, 4, 3, 2]), 2);
  assert.equal(halfReductionEpoch([10, 9, 8, 6, 2]), 4);
  assert.ok(Number.isNaN(halfReductionEpoch([1, 2, 3])));
  close(roughness([1, 2, 1, 2]), 1 / 1.5, 1e-12);
  close(roughness([10, 20, 10, 20]), roughness([1, 2, 1, 2]), 1e-12, 'scale-free');
  close(sd([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7), 1e-12);
  assert.equal(windowOf(60), 6);
  assert.equal(windowOf(3), 1);
});

test('entropy of a histogram', () => {
  close(entropyBits([1, 1, 1, 1]), 2, 1e-12);
  close(normalizedEntropy(Array(10).fill(3)), 1, 1e-12);
  assert.equal(normalizedEntropy([0, 0, 7, 0]), 0);
  assert.equal(entropyBits([0, 0]), 0);
});

test('numbers in sentences', () => {
  assert.equal(num(-1.25, 1), '\u22121.3');
  assert.equal(num(-0.00001, 2), '0.00', 'no negative zero');
  assert.equal(signed(1.25, 1), '+1.3');
  assert.equal(signed(0.01, 1), '0.0');
  assert.equal(signed(-2, 0), '\u22122');
  assert.equal(pText(0.0004), 'p < 0.001');
  assert.equal(pText(0.0312), 'p = 0.031');
  assert.equal(quantityText({ mean: 64.73, sd: 3.14, n: 3, unit: 'pct', digits: 1 }), '64.7\u00a0±\u00a03.1%');
  assert.equal(quantityText({ mean: 64.73, sd: 0, n: 1, unit: 'pct', digits: 1 }), '64.7%');
  assert.equal(quantityText({ mean: -2.5, sd: 0, n: 1, unit: 'pp', digits: 1 }), '\u22122.5');
  assert.equal(quantityText({ mean: 1.234, sd: 0, n: 1, unit: 'ratio', digits: 2 }), '1.23×');
});

test('escaped text reads back literally in Markdown', () => {
  const hostile = ['*bold* _it_ `code`', '<script>alert(1)</script>', '[link](http://x) ![img](y)', '# not a heading', '1. not a list', 'a | b \\ c', '{{var}} & &amp;'];
  for (const s of hostile) {
    const tree = unified().use(remarkParse).parse(`x ${escapeMarkdown(s)}`);
    assert.equal(tree.children.length, 1);
    assert.equal(tree.children[0].type, 'paragraph');
    assert.equal(toString(tree), `x ${s}`);
  }
  assert.equal(escapeMarkdown('two\nlines'), 'two lines');
});

test('sentences join with a space, but not after a full-width stop', () => {
  assert.equal(joinSentences(['One.', 'Two.']), 'One. Two.');
  assert.equal(joinSentences(['一。', '二。']), '一。二。');
  assert.equal(joinSentences(['', 'Two.']), 'Two.');
});

test('messages escape data but not rendered fragments, and a missing key throws', () => {
  const t = (key: string, vars?: Record<string, unknown>) =>
    key === 'k' ? `A ${vars?.x} B ${vars?.y}` : key;
  const m = new Messages('en', t);
  assert.equal(m.md('k', { x: '*x*', y: raw('**y**') }), 'A \\*x\\* B **y**');
  assert.equal(m.text('k', { x: '*x*', y: 'y' }), 'A *x* B y');
  assert.throws(() => m.md('missing'), /no message "missing"/);
});
