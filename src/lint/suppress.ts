import type { ParsedMappings, Span } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { sourceLines } from '../syntax/index.js';
import { BAD_SUPPRESSION, isParseError, ruleFor, UNUSED_SUPPRESSION } from './catalogue.js';
import type { RuleFinding } from './rule.js';

/** `! imsmap-disable-next-line CODE[, CODE…]`, a comment in column 1 (F6). */
const DIRECTIVE = /^!\s*imsmap-disable-next-line(?![\w-])(.*)$/;

/** One suppression comment: the codes it names and the physical lines of the line after it. */
interface Directive {
  span: Span;
  codes: string[];
  /** First and last physical line of the next line that is neither blank nor a comment; null at the end of the file. */
  target: { first: number; last: number } | null;
  used: Set<string>;
}

/**
 * Where each entry ends, by the file and line it starts on: an entry continued over several lines
 * (F2) ends where its pattern or template ends. Anything else that starts on a line is one line.
 */
function entryEnds(parsed: ParsedMappings): Map<string, number> {
  const ends = new Map<string, number>();
  for (const table of parsed.tables) {
    for (const { patternSpan, templateSpan } of table.entries) {
      ends.set(`${patternSpan.file}\n${patternSpan.line}`, Math.max(patternSpan.endLine, templateSpan.endLine));
    }
  }
  return ends;
}

/** The suppression comments of one file (F6: comments start in column 1). */
function directivesIn(file: string, lines: readonly string[], ends: Map<string, number>): Directive[] {
  const directives: Directive[] = [];
  lines.forEach((text, index) => {
    const match = DIRECTIVE.exec(text);
    if (!match) return;
    let next = index + 1;
    while (next < lines.length && (lines[next]!.trim() === '' || lines[next]!.startsWith('!'))) next++;
    directives.push({
      span: { file, line: index + 1, column: 1, endLine: index + 1, endColumn: text.length + 1 },
      codes: match[1]!.split(/[\s,]+/).filter((code) => code !== ''),
      target: next >= lines.length ? null : { first: next + 1, last: ends.get(`${file}\n${next + 1}`) ?? next + 1 },
      used: new Set(),
    });
  });
  return directives;
}

/** Why a directive cannot work, or undefined when it can. */
function directiveProblem(directive: Directive): string | undefined {
  if (directive.codes.length === 0) return 'the suppression comment names no code';
  const unknown = directive.codes.find((code) => !ruleFor(code));
  if (unknown) return `"${unknown}" is not a rule code`;
  const parseError = directive.codes.find(isParseError);
  if (parseError) return `"${parseError}" is a parse error and is always reported`;
  if (!directive.target) return 'no line follows the suppression comment';
  return undefined;
}

/** Findings about the suppression comments themselves, by code. */
export interface SuppressionOutcome {
  kept: Diagnostic[];
  findings: Array<RuleFinding & { code: string }>;
}

/**
 * Drops the diagnostics that a suppression comment names on the line after it (parse errors are
 * never dropped), and reports comments that cannot work or that suppressed nothing. `sources` gives
 * the content of each file of the parse, or null when it cannot be read again.
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  parsed: ParsedMappings,
  sources: (file: string) => string | Uint8Array | null,
): SuppressionOutcome {
  const byFile = new Map<string, Directive[]>();
  const ends = entryEnds(parsed);
  for (const file of parsed.files) {
    const content = sources(file);
    if (content !== null) byFile.set(file, directivesIn(file, sourceLines(content), ends));
  }
  const kept = diagnostics.filter((diagnostic) => {
    if (isParseError(diagnostic.code)) return true;
    const directive = byFile
      .get(diagnostic.file)
      ?.find(
        ({ target, codes }) =>
          target !== null && diagnostic.line >= target.first && diagnostic.line <= target.last && codes.includes(diagnostic.code),
      );
    directive?.used.add(diagnostic.code);
    return directive === undefined;
  });
  const findings: SuppressionOutcome['findings'] = [];
  for (const directive of [...byFile.values()].flat()) {
    const problem = directiveProblem(directive);
    if (problem) {
      findings.push({ code: BAD_SUPPRESSION, span: directive.span, message: problem, hint: 'write "! imsmap-disable-next-line CODE[, CODE…]" above the line' });
      continue;
    }
    for (const code of directive.codes.filter((named) => !directive.used.has(named))) {
      findings.push({ code: UNUSED_SUPPRESSION, span: directive.span, message: `nothing reported as ${code} on the next line to suppress` });
    }
  }
  return { kept, findings };
}
