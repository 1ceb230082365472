import type { CharClass, CodeRange } from '../syntax/ast.js';
import { otherCase } from '../syntax/case.js';

/**
 * A compiled character class (P3, P5). `ascii` answers for code points below 128 by one lookup and
 * already includes each letter's ASCII case counterpart (P1), so it gives the same answer for a
 * folded and an unfolded letter; `wide` holds the inclusive ranges above 127 as flat pairs.
 */
export interface CharTest {
  readonly ascii: Uint8Array;
  readonly wide: Int32Array;
}

const ALL_CODE_POINTS: readonly CodeRange[] = [[0, 0x10ffff]];

function inRanges(ranges: readonly CodeRange[], code: number): boolean {
  return ranges.some(([low, high]) => code >= low && code <= high);
}

/**
 * Tests of `*`/`%` and of each glob letter, made once: every pattern holding them shares one, where
 * a test per item cost two typed arrays, four times over for a PORT_ACCESS entry such as
 * `TCP|*|$D*|$(…)|*` with its four wildcards.
 */
const sharedTests = new Map<string, CharTest>();

/** Compiles `*`/`%`, a glob or a `$[…]` set into a case-blind membership test. */
export function compileCharClass(charClass: CharClass): CharTest {
  if (charClass.kind === 'set') return buildCharTest(charClass.ranges);
  const name = charClass.kind === 'any' ? '*' : charClass.letter;
  let test = sharedTests.get(name);
  if (test === undefined) sharedTests.set(name, (test = buildCharTest(charClass.kind === 'any' ? ALL_CODE_POINTS : charClass.ranges)));
  return test;
}

function buildCharTest(ranges: readonly CodeRange[]): CharTest {
  const ascii = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    ascii[code] = inRanges(ranges, code) || inRanges(ranges, otherCase(code)) ? 1 : 0;
  }
  const wide = ranges.filter(([, high]) => high >= 128).flatMap(([low, high]) => [Math.max(low, 128), high]);
  return { ascii, wide: Int32Array.from(wide) };
}

/** Whether a code point belongs to a compiled class. */
export function classAccepts(test: CharTest, code: number): boolean {
  if (code < 128) return test.ascii[code] === 1;
  const wide = test.wide;
  for (let j = 0; j < wide.length; j += 2) {
    if (code >= wide[j] && code <= wide[j + 1]) return true;
  }
  return false;
}
