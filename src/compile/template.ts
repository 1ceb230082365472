import type { TemplateNode } from '../syntax/ast.js';
import { asciiUpper, foldAscii } from '../syntax/case.js';

/** The case mode of an output scope (T4). */
export type CaseMode = 'original' | 'lower' | 'upper';

/** A processing-control letter (T5). */
export type Control = 'C' | 'E' | 'L' | 'R';

/** The external lookups of T9–T11, each with its already compiled argument. */
export type Lookup =
  | { lookup: 'mapping'; table: string; argument: readonly TemplateOp[] }
  | { lookup: 'routine'; image: string; routine: string; argument: readonly TemplateOp[] }
  | { lookup: 'database'; argument: readonly TemplateOp[] }
  | { lookup: 'url'; argument: readonly TemplateOp[] }
  | { lookup: 'domain'; argument: readonly TemplateOp[] }
  | { lookup: 'sequence'; file: string; radix: number; width: number; modulus: number | null };

/** One instruction of a compiled template, executed left to right (T1). */
export type TemplateOp =
  /** Literal text with its case variants computed once, so a case mode costs nothing per expansion (T4). */
  | { kind: 'text'; text: string; lower: string; upper: string }
  | { kind: 'capture'; index: number }
  | { kind: 'case'; mode: CaseMode }
  | { kind: 'quote' }
  | { kind: 'control'; control: Control }
  | { kind: 'flagTest'; flag: string; whenSet: boolean }
  | { kind: 'random'; percent: number }
  | ({ kind: 'lookup' } & Lookup);

/** A template ready for expansion: a flat op list plus what can be decided once at compile time. */
export interface TemplateProgram {
  ops: readonly TemplateOp[];
  /**
   * Every output flag written anywhere in the template, bracketed arguments included. A flag has no
   * position that matters: an entry that completes adds all of them and a failed one adds none (M8,
   * T8 item 3), so they are hoisted out of the op list. Ascending, as results list them (M8), so
   * that the usual result — one completed entry — takes them as they are.
   */
  flags: readonly string[];
  /** Whether a lookup occurs; a program without one is expanded by a plain loop instead of a generator (M10). */
  hasLookup: boolean;
}

function textOp(text: string): TemplateOp {
  return { kind: 'text', text, lower: foldAscii(text), upper: asciiUpper(text) };
}

function compileOps(nodes: readonly TemplateNode[], flags: Set<string>): TemplateOp[] {
  const ops: TemplateOp[] = [];
  let pendingText = '';
  const push = (op: TemplateOp): void => {
    if (pendingText !== '') ops.push(textOp(pendingText));
    pendingText = '';
    ops.push(op);
  };
  for (const node of nodes) {
    switch (node.kind) {
      case 'literal':
        // Adjacent literals (and literals separated only by hoisted flags) become one op.
        pendingText += node.text;
        break;
      case 'flag':
        flags.add(node.flag);
        break;
      case 'capture':
        push({ kind: 'capture', index: node.index });
        break;
      case 'case':
        push({ kind: 'case', mode: node.mode });
        break;
      case 'quote':
        push({ kind: 'quote' });
        break;
      case 'control':
        push({ kind: 'control', control: node.control });
        break;
      case 'flagTest':
        push({ kind: 'flagTest', flag: node.flag, whenSet: node.whenSet });
        break;
      case 'random':
        push({ kind: 'random', percent: node.percent });
        break;
      case 'mapping':
        push({ kind: 'lookup', lookup: 'mapping', table: node.table, argument: compileOps(node.argument, flags) });
        break;
      case 'routine':
        push({
          kind: 'lookup',
          lookup: 'routine',
          image: node.image,
          routine: node.routine,
          argument: compileOps(node.argument, flags),
        });
        break;
      case 'database':
      case 'url':
      case 'domain':
        push({ kind: 'lookup', lookup: node.kind, argument: compileOps(node.argument, flags) });
        break;
      case 'sequence':
        push({
          kind: 'lookup',
          lookup: 'sequence',
          file: node.file,
          radix: node.radix,
          width: node.width,
          modulus: node.modulus,
        });
        break;
    }
  }
  if (pendingText !== '') ops.push(textOp(pendingText));
  return ops;
}

/** Orders one-character flags by code point (M8). */
export function byCodePoint(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

/** Compiles a parsed template (T2) into the flat program the engine expands. */
export function compileTemplate(nodes: readonly TemplateNode[]): TemplateProgram {
  const flags = new Set<string>();
  const ops = compileOps(nodes, flags);
  return { ops, flags: [...flags].sort(byCodePoint), hasLookup: ops.some((op) => op.kind === 'lookup') };
}
