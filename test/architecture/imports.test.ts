import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { importCycles, importGraph, SOURCE_ROOT, sourceFiles } from './module-graph.js';

// The stages' arrows point down only (design: one folder per stage): the library never loads the
// CLI, and no two modules need each other, not even for a type, so each idea has one owner.

const graph = importGraph();

describe('imports between source modules', () => {
  test('nothing outside src/cli imports src/cli', () => {
    const intoCli = [...graph].flatMap(([file, targets]) =>
      file.startsWith('cli/') ? [] : targets.filter((target) => target.startsWith('cli/')).map((target) => `${file} -> ${target}`),
    );
    expect(intoCli).toEqual([]);
  });

  test('there are no import cycles, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  // esbuild keeps the whole `z` object of `import { z } from 'zod'` (every schema kind, the JSON
  // Schema converters, every locale) in the browser bundles, and some of it builds at load time;
  // it shakes a namespace import down to what the module uses.
  test('zod is imported as a namespace, which bundlers shake down to the parts in use', () => {
    const named = sourceFiles().filter((file) => /import (type )?\{[^}]*\} from 'zod'/.test(readFileSync(path.join(SOURCE_ROOT, file), 'utf8')));
    expect(named).toEqual([]);
  });

  test('the cycle finder sees a cycle of two and one of one', () => {
    const cycles = importCycles(
      new Map([
        ['a.ts', ['b.ts']],
        ['b.ts', ['a.ts', 'c.ts']],
        ['c.ts', []],
        ['d.ts', ['d.ts']],
      ]),
    );
    expect(cycles).toEqual([['a.ts', 'b.ts'], ['d.ts']]);
  });
});
