/**
 * Template + artifacts + locale → one language's Markdown report.
 *
 * The template (templates/report.md) is Markdown with directives and no language in it:
 *   `:t{key=…}`               inline message (headings, list items)
 *   `::prose{key=… context=<var>}`  message as paragraph(s); context picks key_<value of var>
 *   `::title` `::notes` `::summary` `::toc` `::snapshots` `::claims` `::changes` `::conclusions` `::footer`
 *   `::table{of=…}`           see tables.ts
 *   `::figure{of=…}`          see figures.ts
 *   `::findings{section=…}`   the claims of one section with their verdicts
 *   `:::section{if=imbalance|linear|baseline}` … `:::`   kept only when that part was run
 * A unified transform replaces every directive with mdast; the TOC is built last, from the
 * headings; remark-stringify (+ GFM tables) writes the result.
 */
import type { BlockContent, Heading, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import type { Language } from '../core/schema.ts';
import { StageError } from '../core/errors.ts';
import { changeBlocks, type RunChanges } from './changes.ts';
import { commonVars, shownRuns, type DocContext } from './doc.ts';
import { FigureRegistry, FIGURE_SLOTS, type FigureSlot, type UsedFigure } from './figures.ts';
import type { Finding, FindingSection } from './findings.ts';
import type { ReportInputs } from './inputs.ts';
import { heading, paragraph, strong, text } from './mdast.ts';
import { Messages, type TFunction } from './messages.ts';
import { claimsTable, conclusionBlocks, findingsList, snapshotBlocks, summaryBlocks } from './narrative.ts';
import { TABLES } from './tables.ts';
import { tocList } from './toc.ts';

export interface ComposedDoc {
  lang: Language;
  title: string;
  markdown: string;
  /** chart files the document links to (copy them into figures/) */
  figures: UsedFigure[];
  /** slots whose chart the charts stage did not make */
  missingFigures: string[];
}

type Directive = ContainerDirective | LeafDirective | TextDirective;

const parser = unified().use(remarkParse).use(remarkDirective).use(remarkGfm);
const stringifier = unified().use(remarkGfm).use(remarkStringify, {
  bullet: '-', emphasis: '*', strong: '*', rule: '-', listItemIndent: 'one', fences: true,
});

const FINDING_SECTIONS: FindingSection[] = ['training', 'gradient', 'imbalance', 'linear', 'stages', 'summary'];

function where(node: Directive, file: string): string {
  const p = node.position?.start;
  return p ? `${file}:${p.line}:${p.column}` : file;
}

function attr(node: Directive, name: string, file: string): string {
  const v = node.attributes?.[name];
  if (!v) throw new StageError(`report: ${where(node, file)}: directive "${node.name}" needs the attribute ${name}=….`);
  return v;
}

function notesBlocks(d: DocContext): BlockContent[] {
  const note = d.inp.config.notes?.[d.lang]?.trim();
  if (!note) return [];
  const paras = note.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter(Boolean);
  return paras.map((p, i) => (i === 0 ? paragraph(strong(d.m.inline('notes.label')), text(' '), text(p)) : paragraph(text(p))));
}

function figureBlock(d: DocContext, node: Directive, file: string): BlockContent[] {
  const slot = attr(node, 'of', file);
  if (!(slot in FIGURE_SLOTS)) throw new StageError(`report: ${where(node, file)}: unknown figure "${slot}"; expected one of ${Object.keys(FIGURE_SLOTS).join(', ')}.`);
  const vars = d.common;
  const img = d.figures.use(slot as FigureSlot, { prefer: slot === 'training' ? d.shown.ghm.run.id : undefined },
    d.m.text(`figure.${slot}.alt`, vars), (n) => d.m.text('figure.numbered', { n, caption: d.m.text(`figure.${slot}.caption`, vars) }));
  return img ? [paragraph(img)] : [];
}

function sectionEnabled(d: DocContext, node: Directive, file: string): boolean {
  const what = attr(node, 'if', file);
  const c = d.inp.config;
  switch (what) {
    case 'imbalance': return c.analyses.imbalance.enabled && d.inp.imbalance !== undefined;
    case 'linear': return c.analyses.linear.enabled && d.inp.linear !== undefined;
    case 'baseline': return c.train.losses.baseline;
    case 'seeds': return c.seeds.length > 1;
    default: throw new StageError(`report: ${where(node, file)}: unknown condition if=${what}; expected imbalance, linear, baseline or seeds.`);
  }
}

/** Replace a block-level directive. The `::toc` placeholder is kept for the last pass. */
function expandLeaf(d: DocContext, node: LeafDirective, file: string): RootContent[] {
  switch (node.name) {
    case 'title': return [heading(1, d.inp.config.title[d.lang])];
    case 'notes': return notesBlocks(d);
    case 'prose': {
      // context=<var>: pick the message variant by a common variable (e.g. context=variant → _paper)
      const by = node.attributes?.context;
      if (by && !(by in d.common)) throw new StageError(`report: ${where(node, file)}: context=${by} names no report variable.`);
      return d.m.blocks(attr(node, 'key', file), by ? { ...d.common, context: String(d.common[by]) } : d.common);
    }
    case 'summary': return summaryBlocks(d);
    case 'toc': return [node];
    case 'table': {
      const of = attr(node, 'of', file);
      const make = TABLES[of];
      if (!make) throw new StageError(`report: ${where(node, file)}: unknown table "${of}"; expected one of ${Object.keys(TABLES).join(', ')}.`);
      const t = make(d);
      return t ? [t] : [];
    }
    case 'figure': return figureBlock(d, node, file);
    case 'snapshots': return snapshotBlocks(d);
    case 'findings': {
      const section = attr(node, 'section', file) as FindingSection;
      if (!FINDING_SECTIONS.includes(section)) throw new StageError(`report: ${where(node, file)}: unknown findings section "${section}"; expected one of ${FINDING_SECTIONS.join(', ')}.`);
      return findingsList(d, section);
    }
    case 'claims': return claimsTable(d);
    case 'changes': return changeBlocks(d);
    case 'conclusions': return conclusionBlocks(d);
    case 'footer': return [paragraph({ type: 'emphasis', children: d.m.inline('footer', { ...d.common, hash: d.inp.config.hash.slice(0, 12) }) })];
    default: throw new StageError(`report: ${where(node, file)}: unknown directive ::${node.name}.`);
  }
}

function expandText(d: DocContext, node: TextDirective, file: string): PhrasingContent[] {
  if (node.name !== 't') throw new StageError(`report: ${where(node, file)}: unknown inline directive :${node.name}; expected :t{key=…}.`);
  return d.m.inline(attr(node, 'key', file), d.common);
}

/** Expand every directive below `parent`, in place. */
function expand(d: DocContext, parent: Parent, file: string): void {
  const out: RootContent[] = [];
  for (const child of parent.children as RootContent[]) {
    if (child.type === 'containerDirective') {
      if (child.name !== 'section') throw new StageError(`report: ${where(child, file)}: unknown container :::${child.name}; expected :::section{if=…}.`);
      if (!sectionEnabled(d, child, file)) continue;
      expand(d, child, file);
      out.push(...(child.children as RootContent[]));
    } else if (child.type === 'leafDirective') {
      out.push(...expandLeaf(d, child, file));
    } else if (child.type === 'textDirective') {
      out.push(...expandText(d, child, file));
    } else {
      if ('children' in child) expand(d, child as Parent, file);
      out.push(child);
    }
  }
  parent.children = out as Parent['children'];
}

/** Replace the `::toc` placeholder by the list of headings (its own heading excluded). */
function insertToc(tree: Root): void {
  const i = tree.children.findIndex((n) => n.type === 'leafDirective' && n.name === 'toc');
  if (i < 0) return;
  const prev = tree.children[i - 1];
  const own = prev?.type === 'heading' ? (prev as Heading) : undefined;
  const toc = tocList(tree, own);
  tree.children.splice(i, 1, ...(toc ? [toc] : []));
}

export interface ComposeOptions {
  template: string;
  /** the template's path, for error messages */
  templateFile: string;
  inputs: ReportInputs;
  findings: Finding[];
  lang: Language;
  t: TFunction;
  /** changes since the previous run; without it the report is a first run (nothing to compare with) */
  changes?: RunChanges;
}

export function composeReport(o: ComposeOptions): ComposedDoc {
  const shown = shownRuns(o.inputs);
  const d: DocContext = {
    lang: o.lang, inp: o.inputs, findings: o.findings, m: new Messages(o.lang, o.t),
    figures: new FigureRegistry(o.inputs.charts, o.lang), common: commonVars(o.inputs, o.lang, shown), shown,
    changes: o.changes ?? { status: 'first' },
  };
  const tree = parser.parse(o.template) as Root;
  expand(d, tree, o.templateFile);
  insertToc(tree);
  const markdown = stringifier.stringify(tree);
  return {
    lang: o.lang, title: o.inputs.config.title[o.lang], markdown,
    figures: d.figures.used, missingFigures: d.figures.missing,
  };
}
