// The lexers and parsers the syntax stage uses are built without Chevrotain's checks of their
// definitions (they cost more than the building, and a command pays them at start-up); here each
// one is built with the checks, which throw on an ambiguous or unreachable alternative, a left
// recursion, or a token pattern the lexer cannot use.
import { describe, expect, it } from 'vitest';
import { LineParser } from '../../src/syntax/parser.js';
import { PatternParser } from '../../src/syntax/pattern/parser.js';
import { buildPatternLexer } from '../../src/syntax/pattern/tokens.js';
import { TemplateParser } from '../../src/syntax/template/parser.js';
import { buildTemplateLexer } from '../../src/syntax/template/tokens.js';
import { buildLineLexer } from '../../src/syntax/tokens.js';

describe("Chevrotain's checks of the grammars and lexers", () => {
  it.each([
    ['line lexer', () => buildLineLexer(false)],
    ['pattern lexer', () => buildPatternLexer(false)],
    ['template lexer', () => buildTemplateLexer(false)],
  ])('pass for the %s', (_name, build) => {
    expect(build().lexerDefinitionErrors).toEqual([]);
  });

  it.each([
    ['line grammar', () => new LineParser(false)],
    ['pattern grammar', () => new PatternParser(false)],
    ['template grammar', () => new TemplateParser(false)],
  ])('pass for the %s (self-analysis throws on a definition error)', (_name, build) => {
    expect(build).not.toThrow();
  });
});
