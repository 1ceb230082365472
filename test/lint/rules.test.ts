// Every rule of the catalogue has a fixture that triggers it and one that does not
// (fixtures/lint/<code>/triggers.mappings and clean.mappings, each with an optional <name>.config.json).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleCatalogue } from '../../src/lint/catalogue.js';
import { expectations, found, lintFixture, lintFixturesDir } from './helpers.js';

/** The findings a fixture is judged on: every error and warning, and any finding of the rule under test. */
function judged(code: string, file: string): string[] {
  const diagnostics = lintFixture(file).filter((d) => d.severity !== 'info' || d.code === code);
  return found(diagnostics, file);
}

describe.each(ruleCatalogue.filter((rule) => rule.code !== 'unreadable-file').map((rule) => rule.code))('%s', (code) => {
  const folder = path.join(lintFixturesDir, code);

  it('has a fixture that triggers it exactly where annotated, and nothing else', () => {
    const triggers = path.join(folder, 'triggers.mappings');
    const expected = expectations(triggers);
    expect(expected.some((item) => item.startsWith(`${code}@`))).toBe(true);
    expect(judged(code, triggers)).toEqual(expected);
  });

  it('has a fixture that does not trigger it, without errors or warnings', () => {
    const clean = path.join(folder, 'clean.mappings');
    expect(existsSync(clean)).toBe(true);
    expect(judged(code, clean)).toEqual([]);
  });
});
