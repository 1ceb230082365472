import type { Entry, Span, TemplateNode } from '../syntax/ast.js';
import { spanAt } from '../syntax/source.js';

/** T12: the nodes at which an expansion can fail. */
const FAILING_KINDS: ReadonlySet<TemplateNode['kind']> = new Set([
  'flagTest',
  'random',
  'mapping',
  'routine',
  'database',
  'url',
  'domain',
  'sequence',
]);

/**
 * The flattened node lists by template: every rule walks every template, and entries with the same
 * template text share its parsed nodes, so each template is flattened once.
 */
const flattened = new WeakMap<readonly TemplateNode[], readonly TemplateNode[]>();

/** Every node of a template, arguments included, in expansion order (T1, T8). */
export function templateNodes(nodes: readonly TemplateNode[]): readonly TemplateNode[] {
  let all = flattened.get(nodes);
  if (all === undefined) {
    const collected: TemplateNode[] = [];
    const collect = (list: readonly TemplateNode[]): void => {
      for (const node of list) {
        collected.push(node);
        if ('argument' in node) collect(node.argument);
      }
    };
    collect(nodes);
    flattened.set(nodes, (all = collected));
  }
  return all;
}

/**
 * M2, M3, T12: whether an entry, once its pattern matches, always ends the mapping with its own
 * result. It must have nothing that can fail (a condition, `$?x?`, any lookup) and no `$C`, `$L` or
 * `$R`; such an entry is the only kind that pre-empts the entries after it.
 */
export function alwaysEnds(entry: Entry): boolean {
  for (const node of templateNodes(entry.templateNodes)) {
    if (FAILING_KINDS.has(node.kind)) return false;
    if (node.kind === 'control' && node.control !== 'E') return false;
  }
  return true;
}

/**
 * M2, M3, T5: whether a matched entry may send the scan on to the next entry with a changed string.
 * That happens only when its expansion completes with `$C` or `$L` in force, and the control in force
 * at the end is the last one written (T5; arguments expand in place, T8). A failure leaves the string
 * unchanged. Routine results and database values are expanded as templates (T10, T11) and may carry
 * controls of their own, so an entry with either counts too. `$R` restarts from the first entry.
 */
export function mayContinue(entry: Entry): boolean {
  let last: string | undefined;
  for (const node of templateNodes(entry.templateNodes)) {
    if (node.kind === 'control') last = node.control;
    if (node.kind === 'routine' || node.kind === 'database') return true;
  }
  return last === 'C' || last === 'L';
}

/** The output flags an entry's template sets wherever they stand, arguments included (T7, T8). */
export function flagsSet(entry: Entry): Set<string> {
  const flags = new Set<string>();
  for (const node of templateNodes(entry.templateNodes)) if (node.kind === 'flag') flags.add(node.flag);
  return flags;
}

/**
 * The text a template is known to produce from its start: its literals up to the first node whose
 * text depends on the input or on a lookup. `complete` when nothing of the sort occurs, so that the
 * text is the whole output. Case modifiers are ignored: callers read digits and codes from it.
 */
export function staticOutput(entry: Entry): { text: string; complete: boolean } {
  let text = '';
  for (const node of entry.templateNodes) {
    if (node.kind === 'literal') text += node.text;
    else if (node.kind === 'capture' || 'argument' in node || node.kind === 'sequence') return { text, complete: false };
  }
  return { text, complete: true };
}

/** The file span of a template node of an entry. */
export function nodeSpan(entry: Entry, node: TemplateNode): Span {
  return spanAt(entry.templateOrigin, node.offset, node.length);
}
