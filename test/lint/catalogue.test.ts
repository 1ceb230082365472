// The rule catalogue: complete against docs/diagnostics.md (F16), consistent, and docs/lint-rules.md generated
// from it (this test fails when the committed file is stale).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintRules, ruleCatalogue } from '../../src/lint/catalogue.js';
import { parseLintConfig } from '../../src/lint/config.js';
import { renderRuleCatalogue } from '../../src/lint/docs.js';
import { repoDir } from './helpers.js';

/** The rows of docs/diagnostics.md's tables, the file's own catalogue (F16): `code` → severity. */
function documentedCatalogue(): Map<string, string> {
  const page = readFileSync(path.join(repoDir, 'docs/diagnostics.md'), 'utf8');
  const codes = new Map<string, string>();
  for (const [, code, severity] of page.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning|info) \|/gm)) codes.set(code!, severity!);
  return codes;
}

describe('rule catalogue', () => {
  it('has every code docs/diagnostics.md documents, at the severity it gives', () => {
    const documented = documentedCatalogue();
    expect(documented.size).toBeGreaterThan(30);
    for (const [code, severity] of documented) {
      expect(ruleCatalogue.find((rule) => rule.code === code), code).toMatchObject({ defaultSeverity: severity });
    }
  });

  it('has unique kebab-case codes, each with a description, help and spec reference', () => {
    const codes = ruleCatalogue.map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const rule of ruleCatalogue) {
      expect(rule.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.help.length).toBeGreaterThan(10);
      expect(rule.spec).not.toBe('');
    }
  });

  it('gives lint rules warning or info by default: only parse errors are errors (docs/diagnostics.md)', () => {
    expect(lintRules.filter((rule) => rule.defaultSeverity === 'error')).toEqual([]);
  });

  it('accepts a configuration that sets every rule that may be set', () => {
    const rules = Object.fromEntries(ruleCatalogue.map((rule) => [rule.code, rule.defaultSeverity === 'error' && rule.stage === 'parser' ? 'error' : 'off']));
    expect(parseLintConfig({ rules }, path.join(repoDir, 'imsmap.config.json'))).not.toBeInstanceOf(Error);
  });
});

describe('docs/lint-rules.md', () => {
  it('is what the rule metadata renders', () => {
    expect(readFileSync(path.join(repoDir, 'docs/lint-rules.md'), 'utf8')).toBe(renderRuleCatalogue());
  });

  it('is current according to scripts/gen-lint-rules.mjs --check', () => {
    const run = spawnSync(process.execPath, ['scripts/gen-lint-rules.mjs', '--check'], { cwd: repoDir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('documents every rule with its own section', () => {
    const page = renderRuleCatalogue();
    for (const rule of ruleCatalogue) expect(page).toContain(`### \`${rule.code}\`\n\nDefault: **${rule.defaultSeverity}**`);
  });
});
