// The lint API (lintMappings): configured levels, and the finer points of the rules that the fixture
// pairs of rules.test.ts do not reach.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LintConfig } from '../../src/lint/config-types.js';
import { defaultLintConfig, parseLintConfig } from '../../src/lint/config.js';
import { found, lintText, repoDir } from './helpers.js';

function config(data: unknown): LintConfig {
  const parsed = parseLintConfig(data, path.join(repoDir, 'imsmap.config.json'));
  if (parsed instanceof Error) throw parsed;
  return parsed;
}

/** Findings of one code as `code@line`. */
const only = (code: string, text: string, settings?: LintConfig) => found(lintText(text, settings).filter((d) => d.code === code));

describe('levels', () => {
  const text = 'T\n  a\n  b  $3\n';

  it('are the rules’ defaults without a configuration', () => {
    expect(lintText(text).map((d) => `${d.severity} ${d.code}`)).toEqual(['warning empty-template', 'warning missing-capture']);
  });

  it('can be turned off, lowered or raised per code', () => {
    const settings = config({ rules: { 'empty-template': 'off', 'missing-capture': 'error' } });
    expect(lintText(text, settings).map((d) => `${d.severity} ${d.code}`)).toEqual(['error missing-capture']);
    expect(lintText(text, config({ rules: { 'missing-capture': 'info' } })).map((d) => d.severity)).toEqual(['warning', 'info']);
  });
});

describe('unknown-table and misspelled-table', () => {
  it('suggest only names within two edits, and not for short names', () => {
    expect(lintText('T\n  a  $|ORIG_SNED_ACCESS;x|\n')[0]!.message).toMatch(/did you mean ORIG_SEND_ACCESS\?$/);
    expect(lintText('T\n  a  $|Q;x|\n')[0]!.message).toBe('no table Q is defined, so `$|Q;…|` always fails');
    expect(only('misspelled-table', 'REVERS\n  a  b\nSPAMMERS\n  c  d\n')).toEqual(['misspelled-table@1']);
  });
});

describe('meaningless-flag', () => {
  it('reads the flags each access table gives a meaning (A14, A15)', () => {
    expect(only('meaningless-flag', 'FROM_ACCESS\n  a  $Y$!$J$K$U1|x\nINTERNAL_IP\n  b  $Y$T\n  *  $N$<x\n')).toEqual(['meaningless-flag@4']);
    expect(only('meaningless-flag', 'MAIL_ACCESS\n  a  $N$!\n  b  $Q\n')).toEqual(['meaningless-flag@2', 'meaningless-flag@3']);
  });

  it('leaves flags outside the access tables, and non-letters the parser already warns about, alone', () => {
    expect(only('meaningless-flag', 'REVERSE\n  a  $Y$D$Q\nSEND_ACCESS\n  b  $Y$*\n')).toEqual([]);
  });

  it('gives a table reached through $|…| its callers’ input flags, and gives up for other callers', () => {
    const called = 'PORT_ACCESS\n  *  $C$|INTERNAL_IP;$3|$E\nINTERNAL_IP\n  a  $:A$Y\n  b  $:T$Y\n';
    expect(only('meaningless-flag', called)).toEqual(['meaningless-flag@5']);
    expect(only('meaningless-flag', `${called}SITE\n  x  $|INTERNAL_IP;$0|\n`)).toEqual([]);
  });
});

describe('bad-reply-code', () => {
  it('reads the first line of a PORT_ACCESS text (A19) and a text that starts with a known code', () => {
    expect(only('bad-reply-code', 'PORT_ACCESS\n  a  $N421$ busy~250$ ok\n  b  $N221-bye~421\n')).toEqual(['bad-reply-code@3']);
    expect(only('bad-reply-code', 'SEND_ACCESS\n  *|*|*|*  $N250$ $0\n  x  $N25$0\n')).toEqual(['bad-reply-code@2']);
  });

  it('cannot tell where the text starts when an argument flag precedes it with substituted text', () => {
    expect(only('bad-reply-code', 'SEND_ACCESS\n  *|*|*|*  $N$D$0|250$ ok\n')).toEqual([]);
  });
});

describe('broad-internal-ip', () => {
  it('catches patterns that match every IPv4 or IPv6 probe, and broad public subnets', () => {
    const text = 'INTERNAL_IP\n  *.*.*.*  $Y\n  *:*  $Y\n  ${::/0}  $Y\n  $(100.0.0.0/6)  $Y\n  $(224.0.0.0/4)  $Y\n  ${fc00::/7}  $Y\n  *  $N\n';
    expect(only('broad-internal-ip', text)).toEqual(['broad-internal-ip@2', 'broad-internal-ip@3', 'broad-internal-ip@4', 'broad-internal-ip@5']);
  });

  it('ignores entries without $Y and entries that are never reached', () => {
    expect(only('broad-internal-ip', 'INTERNAL_IP\n  *  $N\n  $(12.0.0.0/8)  $Y\n')).toEqual([]);
  });
});

describe('no-anti-relay', () => {
  it('points at the entry that permits the relay probe', () => {
    expect(only('no-anti-relay', 'ORIG_SEND_ACCESS\n  tcp_auth|*|*|*  $Y\n  *|*|*|*  $Y\n')).toEqual(['no-anti-relay@3']);
  });

  it('stays silent for files without access tables, and when the answer rests on a routine', () => {
    expect(only('no-anti-relay', 'REVERSE\n  *@*.siroe.com  $0@siroe.com$Y\n')).toEqual([]);
    expect(only('no-anti-relay', 'ORIG_SEND_ACCESS\n  *  $C$[lib,check,$0]$E\n')).toEqual([]);
  });

  it('uses the configured channel model (A24)', () => {
    const text = 'ORIG_SEND_ACCESS\n  ext|*|ext|*  $NRelaying$ not$ allowed\n';
    expect(only('no-anti-relay', text)).toEqual(['no-anti-relay@1']);
    expect(only('no-anti-relay', text, config({ channels: { local: 'ext' } }))).toEqual([]);
  });
});

describe('the default configuration', () => {
  it('declares nothing and keeps every rule at its default', () => {
    expect(defaultLintConfig('/site')).toMatchObject({ rules: {}, ignores: [], routines: [], providers: [], directory: '/site' });
  });
});
