// The parser's speed tricks must not change a single result: each shortcut is checked here against
// the path it shortcuts, on random input (issue 2: fast paths only with a differential test).
import ipaddr from 'ipaddr.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/syntax/diagnostics.js';
import type { ParsedMappings, Span } from '../../src/syntax/ast.js';
import { memoryReader, parseMappings } from '../../src/syntax/index.js';
import { parseIpAddress } from '../../src/syntax/ip.js';
import { parsePattern, parsePatternWithGrammar, parsePlainPattern } from '../../src/syntax/pattern/index.js';
import { parseTemplate } from '../../src/syntax/template/index.js';

describe('patterns without `$` (parsePlainPattern)', () => {
  // Every character class the pattern lexer tells apart, except `$`: wildcards, white space the
  // literal run keeps, surrogate pairs and lone surrogates, and enough `*` for P4's tenth capture.
  const plainUnit = fc.constantFrom(...'*%*%ab.|@- \t\\[](){}<>', '😀', '\ud800', '\udc00', 'é', '**********');
  const plainText = fc.string({ unit: plainUnit, maxLength: 40 });

  it('gives exactly what the lexer and grammar give', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        expect(parsePlainPattern(text)).toStrictEqual(parsePatternWithGrammar(text));
      }),
      { numRuns: 10000 },
    );
  });
});

describe('strict IPv4 addresses (one ipaddr.js parse)', () => {
  /** P9.2 as first written: ipaddr.js's four-part-decimal check, then a parse of its own. */
  function reference(text: string): number[] | null {
    return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text).toByteArray() : null;
  }
  const part = fc.oneof(
    fc.nat(300).map(String),
    fc.constantFrom('0', '00', '01', '010', '0x1', '0xff', '255', '256', '4294967295', '', 'a', 'A'),
  );
  const dotted = fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.'));

  it('accepts and reads dotted quads exactly as isValidFourPartDecimal-then-parse did', () => {
    fc.assert(
      fc.property(dotted, (text) => {
        expect(parseIpAddress(text)?.toByteArray() ?? null).toEqual(reference(text));
      }),
      { numRuns: 10000 },
    );
  });

  it('does the same for the dotted quad at the end of an IPv6 address', () => {
    fc.assert(
      fc.property(dotted.filter((quad) => quad.includes('.')), (quad) => {
        const bytes = reference(quad);
        const expected = bytes === null ? null : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...bytes];
        expect(parseIpAddress(`::${quad}`)?.toByteArray() ?? null).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('chunked building of large files', () => {
  // The builder lexes, parses and builds a file a chunk of logical lines at a time, from a slice of
  // the source when the chunk's lines are the source's own. Whatever the chunk boundaries cut
  // through, a file must read the same: here the same body is parsed after different numbers of
  // filler lines, so that the boundaries fall on every line of the body.
  const bodyLine = fc.constantFrom(
    'T',
    'TABLE extra',
    '  a  b',
    '  a*  $0 $1',
    '  $(10.0.0.0/8)  $Y',
    '  x$',
    '  p  t\\',
    '  continued  here',
    '! comment \\',
    '<inc',
    '  $Q  $N',
    '',
    '   ',
    '*  unindented',
    '  crlf  line\r',
  );
  // Headers are numbered apart: a duplicate table's message names the first one's line.
  const body = fc
    .array(bodyLine, { minLength: 1, maxLength: 40 })
    .map((lines) => lines.map((line, i) => (line.startsWith('T') ? line.replace(/^T\w*/, `$&${i}`) : line)));

  function shifted<T extends Span | Diagnostic>(span: T, lines: number): T {
    return { ...span, line: span.line - lines, endLine: span.endLine - lines };
  }

  /** The parse with every position moved up by `lines`, as if the filler were not there. */
  function withoutFiller(parsed: ParsedMappings, lines: number): unknown {
    return {
      files: parsed.files,
      includes: parsed.includes.map((include) => (include.span.file === 'm' ? { ...include, span: shifted(include.span, lines) } : include)),
      diagnostics: parsed.diagnostics.map((d) => (d.file === 'm' ? shifted(d, lines) : d)),
      tables: parsed.tables.map((table) => ({
        ...table,
        span: table.span.file === 'm' ? shifted(table.span, lines) : table.span,
        entries: table.entries.map((entry) => {
          if (entry.patternSpan.file !== 'm') return entry;
          const moved = (origin: typeof entry.patternOrigin) => ({
            ...origin,
            segments: origin.segments.map((segment) => ({ ...segment, line: segment.line - lines })),
          });
          return {
            ...entry,
            patternOrigin: moved(entry.patternOrigin),
            templateOrigin: moved(entry.templateOrigin),
            patternSpan: shifted(entry.patternSpan, lines),
            templateSpan: shifted(entry.templateSpan, lines),
          };
        }),
      })),
    };
  }

  it('reads the same whatever the chunk boundaries cut', () => {
    const readInclude = memoryReader({ inc: 'I\n  i  j\n' });
    fc.assert(
      fc.property(body, fc.integer({ min: 200, max: 560 }), fc.boolean(), (lines, filler, finalLineFeed) => {
        const text = lines.join('\n') + (finalLineFeed ? '\n' : '');
        const alone = parseMappings(text, { file: 'm', readInclude });
        const after = parseMappings('!\n'.repeat(filler) + text, { file: 'm', readInclude });
        expect(withoutFiller(after, filler)).toStrictEqual(alone);
      }),
      { numRuns: 300 },
    );
  });
});

describe('template results shared between entries', () => {
  // The builder parses each template text once per capture count and hands the same result to
  // every entry that repeats it, first by comparing with the entry before. Every entry must still
  // carry exactly what parsing its own template for its own pattern gives.
  const patterns = fc.constantFrom('a', 'a*', '*@*', '$(10.0.0.0/8)', '*|*|*', '%%%%');
  const templates = fc.constantFrom('$Y', '$N', '$0', '$1$2', '$C$|T;$3|$Y$E', 'x$ y', '$[a,b,$0]', '$0A');
  const entries = fc.array(fc.tuple(patterns, templates), { minLength: 1, maxLength: 30 });

  it('gives every entry the parse of its own template for its own pattern', () => {
    fc.assert(
      fc.property(entries, (pairs) => {
        const text = ['T', ...pairs.map(([pattern, template]) => `  ${pattern}  ${template}`)].join('\n') + '\n';
        const parsed = parseMappings(text, { file: 'm' });
        const table = parsed.tables[0];
        expect(table.entries).toHaveLength(pairs.length);
        table.entries.forEach((entry, i) => {
          const [pattern, template] = pairs[i];
          expect(entry.template).toBe(template);
          expect(entry.captureCount).toBe(parsePattern(pattern).captureCount);
          const expected = parseTemplate(template, { captureCount: entry.captureCount });
          expect(entry.templateNodes).toStrictEqual(expected.nodes);
          const warnings = parsed.diagnostics.filter((d) => d.line === i + 2 && d.column > pattern.length + 2);
          expect(warnings.map((d) => d.code)).toEqual(expected.problems.map((problem) => problem.code));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('checks a repeated template against each pattern\'s saved items (T3)', () => {
    const parsed = parseMappings('T\n  a*  $1\n  a**  $1\n  a*  $1\n', { file: 'm' });
    expect(parsed.diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(['missing-capture@2', 'missing-capture@4']);
  });
});
