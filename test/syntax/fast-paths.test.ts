// The parser's speed tricks must not change a single result: each shortcut is checked here against
// the path it shortcuts, on random input (issue 2: fast paths only with a differential test).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/syntax/diagnostics.js';
import type { ParsedMappings, Span } from '../../src/syntax/ast.js';
import { memoryReader, parseMappings } from '../../src/syntax/index.js';
import { parseIpAddress } from '../../src/syntax/ip.js';
import { LogicalLineReader, decodeSource } from '../../src/syntax/lines.js';
import { parseLineStructure, scanLine, type LineSyntax, type LineToken } from '../../src/syntax/parser.js';
import { parsePattern, parsePatternWithGrammar, parseSimplePattern } from '../../src/syntax/pattern/index.js';
import { parseTemplate, parseTemplateWithGrammar, simpleTemplateElements } from '../../src/syntax/template/index.js';
import { ROOT } from '../adapters/helpers.js';

describe('patterns of literal runs, wildcards and IP constructs (parseSimplePattern)', () => {
  // Every character class the pattern lexer tells apart: wildcards, white space the literal run
  // keeps, surrogate pairs and lone surrogates, enough `*` for P4's tenth capture, the `$` quotes
  // of a run, the IP constructs with good and bad bodies and missing closers, and the `$` pairs the
  // simple path leaves to the grammar.
  const plainUnit = fc.constantFrom(...'*%*%ab.|@- \t\\[](){}<>', '😀', '\ud800', '\udc00', 'é', '**********');
  const dollarUnit = fc.constantFrom('$', '$$', '$*', '$%', '$ ', '$\t', '$(', '$<', '${', ')', '>', '}', '10.0.0.0/8', '10.1.2.3', '/33', '::1/128', '1.2.3.4/24', '$N', '$[', '$A%', '$_', '$@', '$0*');
  const plainText = fc.string({ unit: plainUnit, maxLength: 40 });
  const dollarText = fc.string({ unit: fc.oneof(plainUnit, dollarUnit), maxLength: 30 });

  it('reads every pattern without `$`, exactly as the lexer and grammar do', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        expect(parseSimplePattern(text)).toStrictEqual(parsePatternWithGrammar(text));
      }),
      { numRuns: 10000 },
    );
  });

  it('reads patterns with `$` quotes and IP constructs exactly as the lexer and grammar do, and leaves the rest to them', () => {
    let simple = 0;
    fc.assert(
      fc.property(dollarText, (text) => {
        const fast = parseSimplePattern(text);
        if (fast === null) return;
        simple += 1;
        expect(fast).toStrictEqual(parsePatternWithGrammar(text));
      }),
      { numRuns: 10000 },
    );
    expect(simple).toBeGreaterThan(1000);
    expect(parseSimplePattern('TCP|*|25|$(203.0.113.0/24)|*')).not.toBeNull();
  });
});

describe('templates of literal text, captures, controls, flags and nested mappings (simpleTemplateElements)', () => {
  const unit = fc.constantFrom(
    ...'ab AX|;[]{}?#:=\\^_',
    '$',
    '$$',
    '$ ',
    '$\t',
    '$0',
    '$3',
    '$9',
    '$Y',
    '$N',
    '$C',
    '$e',
    '$+',
    '$<',
    '$!',
    '$é',
    '$😀',
    '$\ud800',
    '$|T;',
    '$|T;',
    '$|INTERNAL_IP;',
    '$|;',
    '|',
    '$[a,b,',
    '${',
    '$]',
    '$}',
    '$?50?',
    '$#f|10|0|5#',
    '$:A',
    '$;',
    '$=',
    '$\\',
    '$^',
    '$_',
  );
  const text = fc.string({ unit, maxLength: 20 });

  it('reads simple templates exactly as the lexer and grammar do, for any count of saved items, and leaves the rest to them', () => {
    let simple = 0;
    let simpleMappings = 0;
    fc.assert(
      fc.property(text, fc.option(fc.nat(11), { nil: undefined }), (template, captureCount) => {
        if (simpleTemplateElements(template) !== null) {
          simple += 1;
          if (template.includes('$|')) simpleMappings += 1;
        }
        expect(parseTemplate(template, { captureCount })).toStrictEqual(parseTemplateWithGrammar(template, { captureCount }));
      }),
      { numRuns: 20000 },
    );
    expect(simple).toBeGreaterThan(500);
    // Random text closes few nested mappings with a simple argument (about a hundred in these runs);
    // the property below draws them on purpose.
    expect(simpleMappings).toBeGreaterThan(30);
    expect(simpleTemplateElements('$NNo$ relaying$ for$ user1')).not.toBeNull();
    expect(simpleTemplateElements('$C$|INTERNAL_IP;$3|$Y$E')).not.toBeNull();
  });

  it('reads nested mappings with a simple argument by hand, exactly as the lexer and grammar do', () => {
    const simpleUnit = fc.constantFrom(...'ab AX;[]{}?#:=\\^_', '$$', '$ ', '$0', '$3', '$Y', '$N', '$C', '$E', '$+');
    const simpleText = fc.string({ unit: simpleUnit, maxLength: 8 });
    const name = fc.string({ unit: fc.constantFrom(...'AZ_09$ :'), maxLength: 6 });
    fc.assert(
      fc.property(simpleText, name, simpleText, simpleText, fc.option(fc.nat(11), { nil: undefined }), (before, table, argument, after, captureCount) => {
        const template = `${before}$|${table};${argument}|${after}`;
        expect(simpleTemplateElements(template)).not.toBeNull();
        expect(parseTemplate(template, { captureCount })).toStrictEqual(parseTemplateWithGrammar(template, { captureCount }));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('logical lines read by hand (scanLine)', () => {
  /** What the builder reads of a line's structure: token texts and offsets, not Chevrotain's token objects. */
  function shape(syntax: LineSyntax): unknown {
    const token = (t: LineToken | undefined) => (t === undefined ? undefined : { image: t.image, startOffset: t.startOffset });
    switch (syntax.kind) {
      case 'header':
        return { kind: syntax.kind, name: token(syntax.name), extra: token(syntax.extra) };
      case 'entry':
        return { kind: syntax.kind, pattern: token(syntax.pattern), pieces: syntax.pieces.map(token), gaps: syntax.gaps.map(token), dangling: token(syntax.dangling) };
      default:
        return { kind: syntax.kind };
    }
  }

  /** Whether the hand scan agrees with the grammar on a logical line; a line it leaves to the grammar agrees. */
  function agrees(text: string): boolean {
    const scanned = scanLine(text);
    if (scanned === null) return true;
    expect(shape(scanned), JSON.stringify(text)).toStrictEqual(shape(parseLineStructure(`${text}\n`)[0]!));
    return false;
  }

  it('splits every logical line of the fixtures and the corpus as the grammar does', () => {
    const folders = ['fixtures', 'fixtures/corpus', 'fixtures/invalid', 'fixtures/two-tier', 'fixtures/hostile'];
    let lines = 0;
    for (const folder of folders) {
      for (const name of readdirSync(path.join(ROOT, folder))) {
        if (!/mappings/.test(name)) continue;
        const reader = new LogicalLineReader(decodeSource(readFileSync(path.join(ROOT, folder, name))).text, name, new Set());
        for (let line = reader.next(); line !== null; line = reader.next()) {
          if (line.text.length > 100_000) continue;
          agrees(line.text);
          lines += 1;
        }
      }
    }
    expect(lines).toBeGreaterThan(300);
  });

  it('splits random lines as the grammar does, and leaves headers with more text and dangling `$` to it', () => {
    const unit = fc.constantFrom(' ', '\t', '  ', 'a', 'Z', '!', '<', '*', '$', '$$', '$ ', '$\t', '|', '\r', '\u000b', '😀', '\\');
    let left = 0;
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (text) => {
        if (agrees(text)) left += 1;
      }),
      { numRuns: 10000 },
    );
    expect(left).toBeLessThan(5000);
    expect(scanLine('TABLE extra')).toBeNull();
    expect(scanLine('  pattern  template$')).toBeNull();
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

describe('lines read one at a time', () => {
  // The builder reads each logical line on its own, by hand or through the grammar. Whatever comes
  // before them, the same lines must read the same: here the same body is parsed after different
  // numbers of filler lines.
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

  it('reads the same whatever lines come before', () => {
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
