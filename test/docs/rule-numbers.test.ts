// Every rule number the code cites (F2, P9.2, A18…) is defined in the project's own docs, so a
// reader of a comment can look it up without anything beside the repository.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoDir = fileURLToPath(new URL('../../', import.meta.url));

/** Rule numbers as cited: a rule letter and number, maybe a sub-rule; not `$X4.2.1` or `A1B2`. */
const RULE = /(?<![$\w.-])([FPTMXA]\d{1,2}(?:\.\d{1,2})?)(?![\w]|\.\d)/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.c?ts$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function rulesIn(text: string): Set<string> {
  return new Set([...text.matchAll(RULE)].map(([, rule]) => rule!));
}

describe('rule numbers', () => {
  const docs = ['format.md', 'access.md', 'differences.md', 'diagnostics.md']
    .map((name) => readFileSync(path.join(repoDir, 'docs', name), 'utf8'))
    .join('\n');
  const defined = rulesIn(docs);

  it('the docs define a plausible number of rules', () => {
    expect(defined.size).toBeGreaterThan(80);
  });

  for (const file of sourceFiles(path.join(repoDir, 'src'))) {
    const cited = [...rulesIn(readFileSync(file, 'utf8'))];
    if (cited.length === 0) continue;
    it(`${path.relative(repoDir, file)} cites only rules the docs define`, () => {
      expect(cited.filter((rule) => !defined.has(rule))).toEqual([]);
    });
  }
});
