/** The CJK font shipped by npm (@embedpdf/fonts-tc: Noto Sans Hant OTFs), used by charts, PDF and HTML. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type FontWeight = 'Regular' | 'Bold';

/** Folder of the OTFs: the package exports only its JS entry (dist/…); fonts/ sits beside dist/. */
export function cjkFontDir(): string {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-tc');
  return join(dirname(entry), '..', 'fonts');
}

export function cjkFontPath(weight: FontWeight = 'Regular'): string {
  return join(cjkFontDir(), `NotoSansHant-${weight}.otf`);
}
