/**
 * The report pages in headless Chromium: no console errors, no request leaving the folder, every
 * image loaded, every in-page link (TOC, anchors) resolving, the language switch leading to the
 * other language; screenshots go to output/browser-test/. Skipped when /usr/bin/chromium is absent
 * (CI installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildReportFolder } from './fixture.ts';
import { LANGUAGES } from '../../pipeline/core/schema.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUT = fileURLToPath(new URL('../../output/browser-test/', import.meta.url));

test('report pages in headless Chromium', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: browser test skipped (apt-get install chromium; CI always installs it)` }, async (t) => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const site = join(OUT, 'site');
  const built = await buildReportFolder(site);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    for (const name of built.pages) {
      await t.test(name, async () => {
        const page = await context.newPage();
        const errors: string[] = [];
        const outside: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith('file:')) return route.continue();
          outside.push(url);
          return route.abort();
        });
        await page.goto(pathToFileURL(join(site, name)).href, { waitUntil: 'load' });
        const state = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          images: [...document.images].map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })),
          unresolved: [...document.querySelectorAll('a[href^="#"]')]
            .map((a) => decodeURIComponent(a.getAttribute('href')!.slice(1)))
            .filter((id) => !document.getElementById(id)),
          inPageLinks: document.querySelectorAll('a[href^="#"]').length,
        }));
        assert.deepEqual(errors, [], `console errors on ${name}`);
        assert.deepEqual(outside, [], `${name} requested something outside its folder`);
        for (const img of state.images) assert.ok(img.ok, `${name}: image ${img.src} did not load`);
        assert.deepEqual(state.unresolved, [], `${name}: in-page links without a target`);
        await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: name !== 'review.html' });

        const report = /^report\.(.+)\.html$/.exec(name);
        if (report) {
          assert.equal(state.lang, report[1]);
          assert.equal(state.images.length, 5);
          assert.ok(state.inPageLinks >= 7);
          const other = LANGUAGES.find((l) => l !== report[1])!;
          await page.click(`.lang-switch a[hreflang="${other}"]`);
          await page.waitForLoadState('load');
          assert.ok(page.url().endsWith(`report.${other}.html`), page.url());
          assert.equal(await page.evaluate(() => document.documentElement.lang), other);
        }
        if (name === 'review.html') assert.equal(state.images.length, 10);
        if (name === 'index.html') {
          const hrefs = await page.evaluate(() => [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')!));
          assert.ok(hrefs.length >= 7);
          for (const h of hrefs) assert.ok(existsSync(join(site, h)), `index links to a missing file: ${h}`);
        }
        await page.close();
      });
    }
  } finally {
    await browser?.close();
  }
});
