// One ASCII case folding (src/syntax/case.ts) for table names (F4), patterns (P1) and templates (T4):
// `ſ` (long s), `ı` (dotless i) and `ß` have Unicode upper cases (`S`, `I`, `SS`) but no ASCII one, so a
// header and a lookup naming the same table must both keep them as written. Unicode upper-casing in
// the header once made `Sſ_TAB` the table `SS_TAB`, which no `$|sſ_tab;…|` lookup could find.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/engine/compile.js';
import { asciiUpper, foldAscii, foldCode, otherCase } from '../../src/syntax/case.js';
import { parseMappings } from '../../src/syntax/index.js';

describe('ASCII-only case folding (P1, F4)', () => {
  it('changes ASCII letters and nothing else', () => {
    expect(asciiUpper('abz ſıßé AZ')).toBe('ABZ ſıßé AZ');
    expect(foldAscii('ABZ ſıßÉ az')).toBe('abz ſıßÉ az');
    expect(foldCode('K'.charCodeAt(0))).toBe('k'.charCodeAt(0));
    // The Kelvin sign's Unicode lower case is `k`; ASCII folding leaves it alone.
    expect(foldCode(0x212a)).toBe(0x212a);
    expect(otherCase('a'.charCodeAt(0))).toBe('A'.charCodeAt(0));
    expect(otherCase('@'.charCodeAt(0))).toBe('@'.charCodeAt(0));
    expect(otherCase('ſ'.charCodeAt(0))).toBe('ſ'.charCodeAt(0));
  });

  it.each(['Sſ_tab', 'Tı_tab', 'Tß_tab'])('header %s and a lookup of the same name meet', (written) => {
    const text = [written, '  a b$Y', 'LOOKUP', `  * $|${written.toLowerCase()};$0|`, ''].join('\n');
    const parsed = parseMappings(text, { file: 'mappings' });
    const name = asciiUpper(written);
    expect(parsed.tables.map((table) => table.name)).toEqual([name, 'LOOKUP']);
    const set = compile(parsed);
    expect(set.has(written.toLowerCase())).toBe(true);
    expect(set.mapSync('LOOKUP', 'a').output).toBe('b');
    expect(set.mapSync('LOOKUP', 'a').trace[1]?.entry.table).toBe(name);
  });

  it('Sſ_TAB and SS_TAB are two tables, not a duplicate', () => {
    const parsed = parseMappings('SS_TAB\n  a b\nSſ_TAB\n  a c\n', { file: 'mappings' });
    expect(parsed.diagnostics.map((diagnostic) => diagnostic.code)).not.toContain('duplicate-table');
    expect(compile(parsed).mapSync('sſ_tab', 'a').output).toBe('c');
  });
});
