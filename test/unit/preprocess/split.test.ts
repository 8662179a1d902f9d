import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allPairs, makePairs, originalSplit, stratifiedSplit } from '../../../pipeline/preprocess/split.ts';

const CLASSES = ['deg000', 'deg036', 'deg072', 'deg108', 'deg144', 'deg180'];
/** The original dataset order: index = 9·label + seq. */
const labelOf = (i: number) => Math.floor(i / 9);
const angleOf = (i: number) => 36 * labelOf(i);
const idOf = (i: number) => `${CLASSES[labelOf(i)]}_${String(i % 9).padStart(2, '0')}`;
const LABELS = Array.from({ length: 54 }, (_, i) => labelOf(i));

// original-system.md §1.3
const TRAIN_42 = [6, 24, 34, 49, 30, 22, 2, 21, 32, 47, 44, 12, 8, 53, 45, 37, 14, 13, 7, 50, 16, 29, 23, 41, 17, 52, 27, 36, 33, 48, 42, 18, 9, 40, 11, 10, 0];
const VAL_42 = [43, 38, 39, 28, 46, 15, 3, 51, 1, 20, 4, 35, 31, 25, 26, 19, 5];

test('original split, seed 42, n = 54: the exact §1.3 indices, 37 / 17', () => {
  const s = originalSplit(54, 0.7, 42);
  assert.deepEqual(s.train, TRAIN_42);
  assert.deepEqual(s.val, VAL_42);
  const counts = CLASSES.map((_, c) => s.train.filter((i) => labelOf(i) === c).length);
  assert.deepEqual(counts, [5, 8, 5, 6, 6, 7]);
});

test('original split sizes are ⌊share·n⌋ / rest and cover every index once', () => {
  for (const [n, share] of [[24, 0.7], [54, 0.9], [10, 0.5]] as const) {
    const s = originalSplit(n, share, 7);
    assert.equal(s.train.length, Math.floor(share * n));
    assert.deepEqual([...s.train, ...s.val].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
  assert.notDeepEqual(originalSplit(54, 0.7, 1).train, TRAIN_42);
});

test('stratified split: 37 / 17, every class 6 or 7 in training, seeded and complete', () => {
  const s = stratifiedSplit(LABELS, 0.7, 42);
  assert.equal(s.train.length, 37);
  assert.equal(s.val.length, 17);
  const counts = CLASSES.map((_, c) => s.train.filter((i) => LABELS[i] === c).length);
  assert.ok(counts.every((k) => k === 6 || k === 7), `counts ${counts}`);
  assert.equal(counts.filter((k) => k === 7).length, 1);
  assert.deepEqual([...s.train, ...s.val].sort((a, b) => a - b), Array.from({ length: 54 }, (_, i) => i));
  assert.deepEqual(stratifiedSplit(LABELS, 0.7, 42), s);
  assert.notDeepEqual(stratifiedSplit(LABELS, 0.7, 43).train, s.train);
});

test('original pairs, seed 42: 566 / 120 pairs and the §1.4 first five training pairs', () => {
  const s = originalSplit(54, 0.7, 42);
  const p = makePairs(s.train.map(angleOf), s.val.map(angleOf), 'original', 42);
  assert.equal(p.train.length, 566);
  assert.equal(p.val.length, 120);
  const named = p.train.slice(0, 5).map(([a, b, t]) => [idOf(s.train[a]), idOf(s.train[b]), t]);
  assert.deepEqual(named, [
    ['deg036_04', 'deg180_08', -1],
    ['deg108_06', 'deg072_05', 1],
    ['deg072_06', 'deg108_03', -1],
    ['deg108_02', 'deg036_07', 1],
    ['deg108_06', 'deg144_01', -1],
  ]);
});

test('pairs never join two samples of one class, and +1 ⇔ the first has the larger angle', () => {
  const s = originalSplit(54, 0.7, 42);
  for (const mode of ['original', 'all'] as const) {
    const p = makePairs(s.train.map(angleOf), s.val.map(angleOf), mode, 42);
    for (const [side, ps] of [[s.train, p.train], [s.val, p.val]] as const) {
      for (const [a, b, t] of ps) {
        const a1 = angleOf(side[a]), a2 = angleOf(side[b]);
        assert.notEqual(a1, a2, `${mode}: same-class pair`);
        assert.equal(t, a1 > a2 ? 1 : -1);
      }
      assert.ok(ps.some(([, , t]) => t === 1) && ps.some(([, , t]) => t === -1));
    }
  }
});

test('"all" pairs: every ordered different-class pair exactly once', () => {
  const s = originalSplit(54, 0.7, 42);
  const p = allPairs(s.train.map(angleOf));
  // training class counts 5, 8, 5, 6, 6, 7 → 37·36 − Σ c(c − 1)
  assert.equal(p.length, 37 * 36 - (20 + 56 + 20 + 30 + 30 + 42));
  assert.equal(new Set(p.map(([a, b]) => `${a},${b}`)).size, p.length);
  assert.deepEqual(makePairs([0, 36], [0, 36, 72], 'all', 1), { train: [[0, 1, -1], [1, 0, 1]], val: allPairs([0, 36, 72]) });
});

test('original pairs are seeded: another seed gives other pairs', () => {
  const angles = Array.from({ length: 20 }, (_, i) => 36 * (i % 6));
  const a = makePairs(angles, angles, 'original', 1);
  assert.deepEqual(makePairs(angles, angles, 'original', 1), a);
  assert.notDeepEqual(makePairs(angles, angles, 'original', 2).train, a.train);
  // 190 draws, about 5/6 of them across classes
  assert.ok(a.train.length > 140 && a.train.length < 180, `${a.train.length}`);
});
