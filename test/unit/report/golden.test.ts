/**
 * The Markdown report of the fixture artifact set (test/fixtures/report) must match
 * test/golden/report.<lang>.md byte for byte. After an intended change, regenerate with
 *   UPDATE_GOLDEN=1 node --import tsx --test test/unit/report/golden.test.ts
 * and review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../../../pipeline/core/schema.ts';
import { composeFixture, fixtureInputs } from './fixture.ts';

const GOLDEN = join(import.meta.dirname, '..', '..', 'golden');
const inputs = fixtureInputs();

for (const lang of LANGUAGES) {
  test(`report.${lang}.md matches the golden file`, () => {
    const file = join(GOLDEN, `report.${lang}.md`);
    const md = composeFixture(lang, inputs).markdown;
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, md);
    }
    assert.ok(existsSync(file), `${file} is missing; create it with UPDATE_GOLDEN=1`);
    const want = readFileSync(file, 'utf8');
    if (md !== want) {
      const a = md.split('\n'), b = want.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      assert.fail(`report.${lang}.md differs from ${file} at line ${i + 1}:\n  got:  ${a[i]}\n  want: ${b[i]}\n(UPDATE_GOLDEN=1 regenerates it)`);
    }
  });
}

test('composing twice gives the same bytes', () => {
  assert.equal(composeFixture('en', inputs).markdown, composeFixture('en', inputs).markdown);
});
