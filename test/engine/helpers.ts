import { expect } from 'vitest';
import { compile, type MappingSet } from '../../src/engine/compile.js';
import type { CompileOptions } from '../../src/engine/options.js';
import type { MappingResult } from '../../src/engine/types.js';
import { parseMappings } from '../../src/syntax/index.js';

/** Parses mappings text (lines given as written in the file) and compiles it, asserting no error diagnostics. */
export function mappings(lines: readonly string[], options?: CompileOptions): MappingSet {
  const parsed = parseMappings(lines.join('\n') + '\n', { file: 'mappings', readInclude: () => null });
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compile(parsed, options);
}

/** The part of a result examples.md states: matched, output and flags. */
export function outcome(result: MappingResult): { matched: boolean; output: string; flags: string[] } {
  return { matched: result.matched, output: result.output, flags: result.flags };
}

/** "matched, output X, flags {…}" of examples.md. */
export function matched(output: string, flags: string[] = []): { matched: boolean; output: string; flags: string[] } {
  return { matched: true, output, flags };
}

/** "no match" of examples.md: output equal to the probe, no flags. */
export function noMatch(probe: string): { matched: boolean; output: string; flags: string[] } {
  return { matched: false, output: probe, flags: [] };
}

/** Entry numbers of the steps a call took at one depth, in order. */
export function stepEntries(result: MappingResult, depth = 0): number[] {
  return result.trace.filter((step) => step.depth === depth).map((step) => step.entry.index);
}
