import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePattern, patternParser } from '../../src/syntax/pattern/index.js';

// Hostile input: random strings over every character that means something in a pattern or a
// template, with whole openers and address pieces as units too so that constructs appear often
// enough. F14: parsing never throws, and every problem points inside the text.
const ALPHABET = [...'$*%[]()<>{}|;,:?#\\_^@ \tabcxyzADNY0189./-', '😀'];
const FRAGMENTS = ['$[', '$(', '$<', '${', '$|', '$]', '$}', '$#', '$?', '$:', '$_', '$@', '$^', '$0*', '$D*', '1.2.3.4', '::1', '/8', '\\]'];
const hostileText = fc.string({ unit: fc.constantFrom(...ALPHABET, ...FRAGMENTS), maxLength: 30 });

describe('parsePattern on random text', () => {
  it('never throws, and the grammar accepts every token sequence', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        parsePattern(text);
        expect(patternParser().errors).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it('points every problem at characters inside the text', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        for (const { offset, length } of parsePattern(text).problems) {
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(length).toBeGreaterThan(0);
          expect(offset + length).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('gives error-free patterns items that cover the text in order, up to trailing modifiers (P6)', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const { items, problems } = parsePattern(text);
        if (problems.some((problem) => problem.severity === 'error')) return;
        let end = 0;
        for (const item of items) {
          expect(item.offset).toBe(end);
          end = item.offset + item.length;
        }
        expect(text.slice(end)).toMatch(/^(\$[_@^])*$/);
      }),
      { numRuns: 5000 },
    );
  });
});
