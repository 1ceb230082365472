// Template expansion (format.md T1–T9) beyond the examples: case and quoting modes and their scope,
// controls, flags, conditions, nested mappings; plus the compiled program's shape.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/compile/template.js';
import { ldapQuote } from '../../src/engine/expand.js';
import { parseTemplate } from '../../src/syntax/template/index.js';
import { mappings, matched, outcome } from './helpers.js';

/** Maps `probe` through a one-entry table `*@*` (so $0 and $1 exist) with the given template. */
function expand(template: string, probe: string, options: Parameters<typeof mappings>[1] = {}, flags = '') {
  return mappings(['T', '', `  *@*  ${template}`, '', 'ID', '', '  *  $0$Y'], options).mapSync('T', probe, { flags });
}

describe('T4 — case and quoting modes', () => {
  it.each([
    ['$^$0-lit', 'Ab@c', 'AB-LIT'],
    ['$\\$0-LIT', 'Ab@c', 'ab-lit'],
    ['$^$0$_$0', 'Ab@c', 'ABAb'],
    ['$^é$0', 'é@c', 'éé'],
    ['$^$=$0', 'a*b@c', 'A\\2aB'],
    ['$=*($0)', 'a(b)@c', '*(a\\28b\\29)'],
    ['$=$\\$0$1', 'A*@B\\', 'a\\2ab\\5c'],
    ['$=$0$_$1', '*@*', '\\2a*'],
    ['$=$0', 'a\0b@c', 'a\\00b'],
  ])('%s on %j → %j', (template, probe, output) => {
    expect(expand(template, probe).output).toBe(output);
  });

  it('case conversion is ASCII-only (T4 item 1)', () => {
    expect(expand('$^$0', 'straße@x').output).toBe('STRAßE');
    expect(expand('$\\$0', 'ÀB@x').output).toBe('Àb');
  });

  it('a nested mapping result is substituted text: case mode and quoting apply', () => {
    // `$_` inside the argument resets only the argument's modes (item 4), so the result is quoted once.
    expect(expand('$^$=[$|ID;$_$0|]', 'a*b@c').output).toBe('[A\\2aB]');
    // With the modes inherited, the argument is quoted and then the result again: the rules compose.
    expect(expand('$^$=[$|ID;$0|]', 'a*b@c').output).toBe('[A\\5c2AB]');
  });

  it('modes in force are inherited by a bracketed argument, and changes inside end with it (T4 item 4)', () => {
    const seen: string[] = [];
    const record = (argument: string) => {
      seen.push(argument);
      return 'ret';
    };
    const result = expand('$^$[lib,record,$0$\\X$=$1]$0$1', 'ab@c*d', { routines: { record } });
    expect(seen).toEqual(['ABx' + 'c\\2ad']);
    // After the argument: upper case again, and no quoting.
    expect(result.output).toBe('RETABC*D');
  });

  it('last mode wins within a scope', () => {
    expect(expand('$^$\\$^$\\$0', 'AbC@x').output).toBe('abc');
  });
});

describe('T5 — controls', () => {
  it('lower-case control letters are controls', () => {
    const set = mappings(['T', '', '  *  one$c', '  *  two$e$Y']);
    expect(outcome(set.mapSync('T', 'x'))).toEqual(matched('two', ['Y']));
  });

  it('a control inside an argument takes effect at its position (T8 item 3)', () => {
    const set = mappings(['T', '', '  *  $|ID;$0$C|', '  *  next', 'ID', '', '  *  $0$Y']);
    const result = set.mapSync('T', 'x');
    expect(outcome(result)).toEqual(matched('next'));
  });
});

describe('T6 — conditions', () => {
  it('$;x continues only when the flag is clear', () => {
    expect(expand('$;T$0', 'a@b').output).toBe('a');
    expect(outcome(expand('$;T$0', 'a@b', {}, 'T'))).toEqual(matched('a@b'));
  });

  it('non-letter input flags compare exactly', () => {
    const set = mappings(['T', '', '  *  $:!bang']);
    expect(set.mapSync('T', 'x', { flags: '!' }).output).toBe('bang');
    expect(set.mapSync('T', 'x').output).toBe('x');
  });

  it('the flags tested are the call input flags, also inside nested calls (T9)', () => {
    const set = mappings(['OUT', '', '  *  $|IN;$0|', 'IN', '', '  *  $:Ain$Y']);
    expect(set.mapSync('OUT', 'x', { flags: 'a' }).output).toBe('in');
    expect(outcome(set.mapSync('OUT', 'x'))).toEqual(matched('x'));
  });

  it('flags set by earlier entries are not input flags', () => {
    const set = mappings(['T', '', '  *  $0$A$C', '  *  $:Ayes']);
    expect(outcome(set.mapSync('T', 'x'))).toEqual(matched('x', ['A']));
  });

  it('$?x? succeeds when random() × 100 < x', () => {
    const lines = ['T', '', '  *  $C$?12.5?in$E', '  *  out'];
    expect(mappings(lines, { random: () => 0.124 }).mapSync('T', 'x').output).toBe('in');
    expect(mappings(lines, { random: () => 0.125 }).mapSync('T', 'x').output).toBe('out');
    expect(mappings(['T', '', '  *  $C$?100?in'], { random: () => 0.999999 }).mapSync('T', 'x').output).toBe('in');
    expect(mappings(['T', '', '  *  $C$?0?in$E', '  *  out'], { random: () => 0 }).mapSync('T', 'x').output).toBe('out');
  });
});

describe('T7 — flags', () => {
  it('flags of a completed entry count wherever they stand, also inside arguments', () => {
    const set = mappings(['T', '', '  *  $|ID;$0$G|$Y', 'ID', '', '  *  $0$Y']);
    expect(outcome(set.mapSync('T', 'x'))).toEqual(matched('x', ['G', 'Y']));
  });

  it('flags are a set in ascending code order', () => {
    const set = mappings(['T', '', '  *  $Z$a$!$Y$A$>$0$C', '  *  $Y$B']);
    expect(set.mapSync('T', 'x').flags).toEqual(['!', '>', 'A', 'B', 'Y', 'Z']);
  });
});

describe('T9 — nested mapping', () => {
  it('the table name is case-insensitive and the argument is expanded first', () => {
    const set = mappings(['T', '', '  *@*  <$|id;$1.$0|>', 'ID', '', '  *  $0$Y']);
    expect(set.mapSync('T', 'a@b').output).toBe('<b.a>');
  });

  it('a nested lookup inside an argument', () => {
    const set = mappings(['T', '', '  *  $|ID;[$|ID;$0|]|', 'ID', '', '  *  $0$Y']);
    expect(set.mapSync('T', 'x').output).toBe('[x]');
  });

  it('an inner table without a match gives no Y: failure', () => {
    const set = mappings(['T', '', '  *  $C$|ID;$0|', '  *  miss', 'ID', '', '  y  $Y']);
    expect(set.mapSync('T', 'x').output).toBe('miss');
  });

  it('ten nested calls are allowed', () => {
    // Each level strips one character: eleven characters need calls at depths 1–10, which succeed.
    const set = mappings(['D', '', '  %  $0$Y', '  %*  $|D;$1|$Y']);
    const result = set.mapSync('D', 'abcdefghijk');
    expect(result.trace.map((step) => step.depth).at(-1)).toBe(10);
    expect(outcome(result)).toEqual(matched('k', ['Y']));
    const tooDeep = set.mapSync('D', 'abcdefghijkl');
    expect(outcome(tooDeep)).toEqual(matched('abcdefghijkl'));
  });
});

describe('compileTemplate', () => {
  const program = (template: string) => compileTemplate(parseTemplate(template).nodes);

  it('merges literals, hoists flags in ascending order (M8) and precomputes case variants', () => {
    expect(program('$N$D30|Relaying$ not$ allowed')).toEqual({
      ops: [{ kind: 'text', text: '30|Relaying not allowed', lower: '30|relaying not allowed', upper: '30|RELAYING NOT ALLOWED' }],
      flags: ['D', 'N'],
      hasLookup: false,
    });
  });

  it('hoists flags out of arguments and marks lookups', () => {
    const compiled = program('$C${key$G}$E');
    expect(compiled.flags).toEqual(['G']);
    expect(compiled.hasLookup).toBe(true);
    expect(compiled.ops.map((op) => op.kind)).toEqual(['control', 'lookup', 'control']);
  });
});

describe('ldapQuote', () => {
  it('quotes the RFC 4515 characters with lower-case hex', () => {
    expect(ldapQuote('a\\b*c(d)e\0')).toBe('a\\5cb\\2ac\\28d\\29e\\00');
  });
});
