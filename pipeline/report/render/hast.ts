/**
 * Building and serialising HTML as hast trees, so that every piece of text — titles and notes
 * from the YAML included — is escaped by the serializer rather than by hand.
 */
import { unified } from 'unified';
import rehypeStringify from 'rehype-stringify';
import type { Root, Element, ElementContent, Properties } from 'hast';

export type Child = ElementContent | string | null | undefined | false | Child[];

function flatten(children: Child[], out: ElementContent[] = []): ElementContent[] {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) flatten(c, out);
    else if (typeof c === 'string') out.push({ type: 'text', value: c });
    else out.push(c);
  }
  return out;
}

/** A hast element; strings become text nodes, null/false children are dropped. */
export function h(tagName: string, properties: Properties = {}, ...children: Child[]): Element {
  return { type: 'element', tagName, properties, children: flatten(children) };
}

const stringifier = unified().use(rehypeStringify);

/** A full document: doctype + <html lang> with the given head and body. */
export function htmlDocument(lang: string, head: Child[], body: Child[], bodyClass?: string): string {
  const root: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang }, h('head', {}, ...head), h('body', bodyClass ? { className: [bodyClass] } : {}, ...body)),
    ],
  };
  return stringifier.stringify(root) + '\n';
}
