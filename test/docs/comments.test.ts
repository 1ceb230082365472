// Comments say why, not how fast: figures go stale with every change and live in `npm run bench`
// (bench/run.mjs), which measures them against a baseline in the same run. And a comment is read
// with nothing beside the repository, so it cites no issue, brief or outside document; rule
// numbers are checked against the docs by rule-numbers.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoDir = fileURLToPath(new URL('../../', import.meta.url));

/** Line and block comments; `//` after `:` or inside a quote (a URL, a string) is not one. */
const COMMENT = /(?<![:'"`\w\\])\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

/** Timings, rates and memory figures, and the way measurements are quoted. */
const BENCHMARK_FIGURE = /\d[\d,.]*\s?(?:ms|µs|us|ns|M\/s|k\/s|[a-z]+\/s|MB|KB|GB)(?![\w/])|median of \d+|benchmark machine/gi;

/** References a reader of the repository cannot follow. */
const OUTSIDE_REFERENCE = /\bissues? \d+|\bbrief\b|spec README|\.\.\/shared\//gi;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.c?ts$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** `line: matched text` for each match of `pattern` inside a comment of `text`. */
function inComments(text: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const comment of text.matchAll(COMMENT)) {
    for (const match of comment[0].matchAll(pattern)) {
      const line = text.slice(0, comment.index + match.index).split('\n').length;
      found.push(`${line}: ${match[0]}`);
    }
  }
  return found;
}

describe('comments in src/', () => {
  it('the scanner finds what it looks for', () => {
    const sample = '// took 57 ms, 1.9 MB less (median of 15 runs)\n/* 2.5 M/s probes, see issue 7 and the brief */\nconst url = "ldap://x"; // 300 s is Postfix\'s timeout';
    expect(inComments(sample, BENCHMARK_FIGURE)).toEqual(['1: 57 ms', '1: 1.9 MB', '1: median of 15', '2: 2.5 M/s']);
    expect(inComments(sample, OUTSIDE_REFERENCE)).toEqual(['2: issue 7', '2: brief']);
  });

  for (const file of sourceFiles(path.join(repoDir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    it(`${path.relative(repoDir, file)} quotes no benchmark figure and no outside reference`, () => {
      expect(inComments(text, BENCHMARK_FIGURE)).toEqual([]);
      expect(inComments(text, OUTSIDE_REFERENCE)).toEqual([]);
    });
  }
});
