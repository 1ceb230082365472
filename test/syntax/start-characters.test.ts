// The line lexer's Word and Unindented tokens are complement sets whose start characters are given
// to Chevrotain as a hint with one code unit per slot of its first-character table (src/syntax/tokens.ts):
// every code unit, in every slot, must still start the token it starts.
import { describe, expect, it } from 'vitest';
import { lineLexer } from '../../src/syntax/tokens.js';

/** Every UTF-16 code unit but those listed. */
function codeUnitsExcept(excluded: string): string[] {
  return Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).filter((unit) => !excluded.includes(unit));
}

describe('the line lexer on every UTF-16 code unit (F3, F8)', () => {
  it('reads a line starting with any code unit but white space, !, < and letters as Unindented', () => {
    const units = codeUnitsExcept(' \t\n!<ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    const { tokens, errors } = lineLexer().tokenize(units.map((unit) => `${unit}x\n`).join(''));
    expect(errors).toEqual([]);
    expect(tokens.map((token) => token.tokenType.name)).toEqual(units.map(() => 'Unindented'));
  });

  it('reads an entry word starting with any code unit but white space and $ as Word', () => {
    const units = codeUnitsExcept(' \t\n$');
    const { tokens, errors } = lineLexer().tokenize(units.map((unit) => `  ${unit}x\n`).join(''));
    expect(errors).toEqual([]);
    expect(tokens.map((token) => `${token.tokenType.name} ${token.image}`)).toEqual(units.flatMap((unit) => ['Indent   ', `Word ${unit}x`]));
  });
});
