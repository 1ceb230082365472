// Routines and providers (format.md T10, T11) and sync/async evaluation (M10).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompileOptions, LookupContext } from '../../src/engine/options.js';
import { createGeneralDatabase, formatSequenceValue, parseGeneralDatabase } from '../../src/engine/providers.js';
import { fileSequence, loadGeneralDatabase } from '../../src/engine/node.js';
import { mappings, matched, outcome } from './helpers.js';

describe('T10 — site routines', () => {
  it('an exact (image, routine) registration wins over the routine name alone', () => {
    const set = mappings(['T', '', '  *  $[/lib/a.so,check,$0]|$[/lib/b.so,check,$0]'], {
      routines: { check: () => 'by-name', '/lib/a.so,check': () => 'exact' },
    });
    expect(set.mapSync('T', 'x').output).toBe('exact|by-name');
  });

  it('receives the expanded argument, commas included, and the step context', () => {
    const calls: Array<[string, LookupContext]> = [];
    const set = mappings(['T', '', '  *@*  $C$[lib, spy ,$1,$0,x]$E'], {
      routines: { spy: (argument, context) => (calls.push([argument, context]), '') },
    });
    set.mapSync('T', 'joe@example.com', { flags: 'ba' });
    expect(calls).toEqual([
      [
        'example.com,joe,x',
        {
          table: 'T',
          entry: { table: 'T', index: 1, file: 'mappings', line: 3 },
          input: 'joe@example.com',
          inputFlags: 'AB',
        },
      ],
    ]);
  });

  it('the result is template text: captures, quoted and literal white space, flags, lookups', () => {
    const set = mappings(['T', '', '  *@*  <$[lib,r,]>', 'ID', '', '  *  [$0]$Y'], {
      routines: { r: () => '$1 and  $ $0$G$|ID;$1|' },
    });
    expect(outcome(set.mapSync('T', 'joe@example.com'))).toEqual(matched('<example.com and   joe[example.com]>', ['G']));
  });

  it('a control in the result takes effect at the call position', () => {
    const set = mappings(['T', '', '  *  $[lib,r,]$0', '  *  next'], { routines: { r: () => '$C' } });
    const result = set.mapSync('T', 'x');
    expect(outcome(result)).toEqual(matched('next'));
    expect(result.trace[0]).toMatchObject({ control: 'C', outcome: 'applied', after: 'x' });
  });

  it('a failure in the result fails the entry, with the control in force', () => {
    const set = mappings(['T', '', '  *  $[lib,r,]$0', '  *  next'], { routines: { r: () => '$C$:Z' } });
    const result = set.mapSync('T', 'x');
    expect(outcome(result)).toEqual(matched('next'));
    expect(result.trace[0].outcome).toBe('failed-continue');
  });

  it('modes inside the result stay inside it; the case mode in force applies to the inserted text', () => {
    const set = mappings(['T', '', '  *  $^$[lib,r,]$0'], { routines: { r: () => '$\\Ab' } });
    expect(set.mapSync('T', 'x').output).toBe('ABX');
  });

  it('a result that is not a valid template fails the entry', () => {
    const set = mappings(['T', '', '  *  $C$[lib,r,]', '  *  next'], { routines: { r: () => 'dangling$' } });
    const result = set.mapSync('T', 'x');
    expect(result.output).toBe('next');
    expect(result.trace[0].reason).toMatch(/invalid template/);
  });

  it('there is no 252-byte truncation', () => {
    const long = 'y'.repeat(1000);
    const set = mappings(['T', '', '  *  $[lib,r,]'], { routines: { r: () => long } });
    expect(set.mapSync('T', 'x').output).toBe(long);
  });

  it('a routine calling back into a self-referencing value hits the depth limit, not an error', () => {
    const database = createGeneralDatabase({ loop: '${loop}' });
    const set = mappings(['T', '', '  *  $C${loop}', '  *  next'], { providers: { database } });
    const result = set.mapSync('T', 'x');
    expect(result.error).toBeUndefined();
    expect(result.output).toBe('next');
    expect(result.trace[0].reason).toMatch(/nesting deeper than 10 levels/);
  });
});

describe('T11 — general database', () => {
  it('keys compare case-blind; values are templates with captures', () => {
    const database = createGeneralDatabase([['User|JOE', 'hello$ $0$Y']]);
    const set = mappings(['T', '', '  *  ${user|$0}'], { providers: { database } });
    expect(outcome(set.mapSync('T', 'joe'))).toEqual(matched('hello joe', ['Y']));
  });

  it('the value is substituted text: quoting applies', () => {
    const database = createGeneralDatabase({ k: 'a*b' });
    const set = mappings(['T', '', '  *  ($=${k}$_)'], { providers: { database } });
    expect(set.mapSync('T', 'x').output).toBe('(a\\2ab)');
  });

  it('parses general.txt text: comments, blank lines, F8 white space, first definition kept', () => {
    const text = [
      '! the general database',
      '',
      'SEND|adam@siroe.com  $Y',
      '  SEND|norman@siroe.com   $NInternet$ access$ not$ permitted  ',
      'bare',
      'send|ADAM@siroe.com  $N',
    ].join('\r\n');
    expect([...parseGeneralDatabase(text)]).toEqual([
      ['SEND|ADAM@SIROE.COM', '$Y'],
      ['SEND|NORMAN@SIROE.COM', '$NInternet$ access$ not$ permitted'],
      ['BARE', ''],
    ]);
  });

  it('loads a general.txt file into the default provider', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'imsmap-general-'));
    const file = path.join(directory, 'general.txt');
    writeFileSync(file, '! comment\nSEND|norman@siroe.com $NInternet$ access$ not$ permitted\n');
    const database = await loadGeneralDatabase(file);
    const set = mappings(['ORIG_SEND_ACCESS', '', '  *|*|tcp_local|*  $C${SEND|$1}$E'], { providers: { database } });
    const result = set.mapSync('ORIG_SEND_ACCESS', 'tcp_intranet|Norman@Siroe.com|tcp_local|x@example.org');
    expect(outcome(result)).toEqual(matched('Internet access not permitted', ['N']));
  });

  it('a missing file rejects', async () => {
    await expect(loadGeneralDatabase('/nonexistent/general.txt')).rejects.toThrow();
  });
});

describe('T11 — URL and domain providers', () => {
  it('the URL result is inserted as text, not expanded again', () => {
    const seen: string[] = [];
    const set = mappings(['T', '', '  *  $]ldap:///o=corp?mail?sub?(mail=$=$0$_)[!'], {
      providers: { url: (url) => (seen.push(url), '$Y') },
    });
    expect(outcome(set.mapSync('T', 'a*b'))).toEqual(matched('$Y!'));
    expect(seen).toEqual(['ldap:///o=corp?mail?sub?(mail=a\\2ab)']);
  });

  it('an empty URL result fails', () => {
    const set = mappings(['T', '', '  *  $C$]file:///x[', '  *  next'], { providers: { url: () => '' } });
    expect(set.mapSync('T', 'x').output).toBe('next');
  });

  it('the domain argument splits at its first comma; a missing part or value fails', () => {
    const calls: string[][] = [];
    const domain = (name: string, attribute: string) => {
      calls.push([name, attribute]);
      return name === 'known.example' ? 'value' : null;
    };
    const set = mappings(['T', '', '  *  $C$}$0{$E', '  *  failed'], { providers: { domain } });
    expect(set.mapSync('T', 'known.example,a,b').output).toBe('value');
    expect(set.mapSync('T', 'other.example,_base_dn_').output).toBe('failed');
    expect(set.mapSync('T', 'no-comma').output).toBe('failed');
    expect(set.mapSync('T', ',attr').output).toBe('failed');
    expect(calls).toEqual([
      ['known.example', 'a,b'],
      ['other.example', '_base_dn_'],
    ]);
  });
});

describe('T11 — sequence numbers', () => {
  it.each([
    [42, 16, 4, null, '002A'],
    [42, -16, 4, null, '002a'],
    [42, 10, 3, 7, '000'],
    [36, 36, 0, null, '10'],
    [5, 2, 8, null, '00000101'],
    [123456, 10, 2, null, '123456'],
  ])('formatSequenceValue(%i, %i, %i, %j) → %s', (value, radix, width, modulus, text) => {
    expect(formatSequenceValue(value, radix, width, modulus)).toBe(text);
  });

  it('fileSequence increments a counter file, even when the entry fails later', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'imsmap-seq-'));
    const counter = path.join(directory, 'counter');
    const empty = path.join(directory, 'empty');
    const garbage = path.join(directory, 'garbage');
    writeFileSync(counter, '41\n');
    writeFileSync(empty, '');
    writeFileSync(garbage, 'forty-one');
    const set = mappings([
      'SQ',
      '',
      `  c  $#${counter}|16|4#`,
      `  e  $#${empty}#`,
      `  g  $#${garbage}#`,
      `  m  $#${path.join(directory, 'missing')}#`,
      `  f  $#${counter}#$:Z`,
    ], { providers: { sequence: fileSequence() } });
    expect(set.mapSync('SQ', 'c').output).toBe('002A');
    expect(readFileSync(counter, 'utf8').trim()).toBe('42');
    expect(set.mapSync('SQ', 'e').output).toBe('1');
    expect(set.mapSync('SQ', 'g').output).toBe('g');
    expect(set.mapSync('SQ', 'm').output).toBe('m');
    expect(set.mapSync('SQ', 'f').output).toBe('f');
    expect(readFileSync(counter, 'utf8').trim()).toBe('43');
  });

  it('the browser-safe compile has no sequence files: every $#…# fails and nothing is written', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'imsmap-seq-'));
    const counter = path.join(directory, 'counter');
    writeFileSync(counter, '41\n');
    const set = mappings(['SQ', '', `  c  $#${counter}#`]);
    expect(set.mapSync('SQ', 'c').output).toBe('c');
    expect(readFileSync(counter, 'utf8')).toBe('41\n');
  });

  it('relative file names resolve against the base directory', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'imsmap-seq-'));
    writeFileSync(path.join(directory, 'n'), '9');
    const set = mappings(['SQ', '', '  *  $#n#'], { providers: { sequence: fileSequence(directory) } });
    expect(set.mapSync('SQ', 'x').output).toBe('10');
  });
});

describe('M10 — synchronous and asynchronous evaluation', () => {
  const lines = ['ORIG_SEND_ACCESS', '', '  *|*|*|*  $C$]ldap:///o=corp?mail?sub?(mail=$=$3$_)[$E', '  *  $Nfallback'];
  const probe = 'tcp_local|a@x|tcp_local|b*c@y';

  it('mapSync refuses a promise with AsyncProviderInSyncCall; map awaits it', async () => {
    const urls: string[] = [];
    const set = mappings(lines, { providers: { url: async (url) => (urls.push(url), '$Yfound') } });
    const refused = set.mapSync('ORIG_SEND_ACCESS', probe);
    expect(refused.error?.code).toBe('AsyncProviderInSyncCall');
    expect(refused).toMatchObject({ matched: true, output: probe, flags: [] });
    const awaited = await set.map('ORIG_SEND_ACCESS', probe);
    expect(outcome(awaited)).toEqual(matched('$Yfound'));
    expect(urls).toEqual(['ldap:///o=corp?mail?sub?(mail=b\\2ac@y)', 'ldap:///o=corp?mail?sub?(mail=b\\2ac@y)']);
  });

  it('map and mapSync agree when every provider is synchronous', async () => {
    const set = mappings(lines, { providers: { url: (url) => (url.includes('b\\2ac') ? null : 'hit') } });
    expect(await set.map('ORIG_SEND_ACCESS', probe)).toEqual(set.mapSync('ORIG_SEND_ACCESS', probe));
    expect((await set.map('ORIG_SEND_ACCESS', probe)).output).toBe('fallback');
  });

  it('async routines, databases, domains and sequences, inside nested calls', async () => {
    const set = mappings(['OUT', '', '  *  $|IN;$0|', 'IN', '', '  *  $[l,r,$0]${k}$}d,a{$#s#$Y'], {
      routines: { r: async (argument) => `<${argument}>` },
      providers: {
        database: async () => '$G+',
        domain: async (domain, attribute) => `${domain}.${attribute}`,
        sequence: async () => 7,
      },
    });
    expect(outcome(await set.map('OUT', 'x'))).toEqual(matched('<x>+d.a7'));
    expect(set.mapSync('OUT', 'x').error?.code).toBe('AsyncProviderInSyncCall');
  });

  it('an async provider resolving to null is a failure, as a synchronous one', async () => {
    const set = mappings(lines, { providers: { url: async () => null } });
    expect(outcome(await set.map('ORIG_SEND_ACCESS', probe))).toEqual(matched('fallback', ['N']));
  });

  it('T11a: a provider that throws or rejects ends the call with ProviderUnavailable, never a fall-through', async () => {
    const boom = new Error('ldap down');
    const throwing = mappings(lines, {
      providers: {
        url: () => {
          throw boom;
        },
      },
    });
    const expected = { matched: true, output: probe, flags: [], error: { code: 'ProviderUnavailable' } };
    expect(throwing.mapSync('ORIG_SEND_ACCESS', probe)).toMatchObject(expected);
    expect(await throwing.map('ORIG_SEND_ACCESS', probe)).toMatchObject(expected);
    const rejecting = mappings(lines, { providers: { url: () => Promise.reject(boom) } });
    const rejected = await rejecting.map('ORIG_SEND_ACCESS', probe);
    expect(rejected).toMatchObject(expected);
    expect(rejected.error?.message).toContain('ldap down');
    expect(rejecting.mapSync('ORIG_SEND_ACCESS', probe).error?.code).toBe('AsyncProviderInSyncCall');
  });

  it('T11a: routines, databases, domains and sequences that cannot answer, in a nested call, end the top-level call', async () => {
    const down = () => Promise.reject(new Error('down'));
    const cases: Array<[string, CompileOptions]> = [
      ['$[l,r,$0]', { routines: { r: down } }],
      ['${k}', { providers: { database: down } }],
      ['$}d,a{', { providers: { domain: down } }],
      ['$#s#', { providers: { sequence: down } }],
    ];
    for (const [lookup, options] of cases) {
      const set = mappings(['OUT', '', '  *  $|IN;$0|', '  *  accepted', 'IN', '', `  *  ${lookup}$Y`], options);
      expect((await set.map('OUT', 'x')).error?.code).toBe('ProviderUnavailable');
    }
  });
});
