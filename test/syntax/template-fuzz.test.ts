import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplate, templateParser } from '../../src/syntax/template/index.js';
import type { TemplateNode } from '../../src/syntax/ast.js';

// Hostile input: random strings over every character that means something in a pattern or a
// template, with whole openers as units too so that nested lookups appear often enough.
// F14: parsing never throws, and every problem points inside the text.
const ALPHABET = [...'$*%[]()<>{}|;,:?#\\_^@ \tabcxyzACENY0189./-', '😀'];
const FRAGMENTS = ['$[', '$[i,r,', '$|', '$|t;', '${', '$]', '$}', '$#', '$#f|', '$?', '$?5', '$:', '$$', '$0', '$1A'];
const hostileText = fc.string({ unit: fc.constantFrom(...ALPHABET, ...FRAGMENTS), maxLength: 30 });

/**
 * Checks that nodes tile [start, end) without gaps, and that each lookup's argument runs up to its
 * closer (from the end of its header: two characters, or longer for `$|table;` and `$[image,routine,`).
 */
function expectTiling(nodes: TemplateNode[], start: number, end: number): void {
  let at = start;
  for (const node of nodes) {
    expect(node.offset).toBe(at);
    if ('argument' in node) {
      const closerOffset = node.offset + node.length - 1;
      const argumentStart = node.argument[0]?.offset ?? closerOffset;
      if (node.kind === 'database' || node.kind === 'url' || node.kind === 'domain') expect(argumentStart).toBe(node.offset + 2);
      expectTiling(node.argument, argumentStart, closerOffset);
    }
    at = node.offset + node.length;
  }
  expect(at).toBe(end);
}

describe('parseTemplate on random text', () => {
  it('never throws, and the grammar accepts every token sequence', () => {
    fc.assert(
      fc.property(hostileText, fc.option(fc.nat(12), { nil: undefined }), (text, captureCount) => {
        parseTemplate(text, { captureCount });
        expect(templateParser().errors).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it('points every problem at characters inside the text', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        for (const { offset, length } of parseTemplate(text, { captureCount: 3 }).problems) {
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(length).toBeGreaterThan(0);
          expect(offset + length).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('gives error-free templates nodes that cover the text, lookup arguments included', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const { nodes, problems } = parseTemplate(text);
        if (problems.some((problem) => problem.severity === 'error')) return;
        expectTiling(nodes, 0, text.length);
      }),
      { numRuns: 5000 },
    );
  });
});
