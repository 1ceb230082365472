import {
  AccessPolicy,
  IncrementalCompiler,
  TupleError,
  type Decision,
  type MappingResult,
  type MappingSet,
  type ParsedMappings,
} from '../../src/browser.js';

/** The name the edited file has in diagnostics and traces. */
export const FILE = 'mappings';

/** What a probe line gets: a mapping result, an access decision, or why it has neither. */
type AnswerBody =
  | { kind: 'mapping'; table: string; probe: string; result: MappingResult }
  | { kind: 'decision'; tuple: Record<string, unknown>; decision: Decision }
  | { kind: 'error'; message: string };

/** The answer to one line of the probes pane (1-based line). */
export type Answer = { line: number; text: string } & AnswerBody;

/**
 * The edited file parsed and compiled, with the access policy its options give (or why there is
 * none), and the same policy asking for explained traces (M1), whose steps show captures and the
 * entries passed over: an explanation costs a step per entry tried, so only the answers shown
 * unfolded are explained.
 */
export interface Evaluated {
  parsed: ParsedMappings;
  set: MappingSet;
  policy: AccessPolicy | string;
  explaining: AccessPolicy | string;
}

/** The page's one file, compiled again after each edit from what the edit left unchanged. */
const compiler = new IncrementalCompiler();

/** Parses and compiles the file (no includes: the page has no other files, F7) and builds the policies from the options text. */
export function evaluateFile(mappings: string, optionsText: string): Evaluated {
  const { parsed, set } = compiler.compile(mappings, { file: FILE });
  return { parsed, set, policy: policyFor(set, optionsText, false), explaining: policyFor(set, optionsText, true) };
}

function policyFor(set: MappingSet, optionsText: string, explain: boolean): AccessPolicy | string {
  let options: unknown = {};
  if (optionsText.trim() !== '') {
    try {
      options = JSON.parse(optionsText);
    } catch (error) {
      return `not valid JSON: ${(error as Error).message}`;
    }
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return 'must be a JSON object';
  const policy = AccessPolicy.create(set, { ...options, explain });
  return policy instanceof TupleError ? policy.message : policy;
}

/** Answers each non-blank line that is not a `!` comment: `TABLE probe`, or a JSON tuple for a decision. */
export function answerLines(evaluated: Evaluated, probes: string): Answer[] {
  const answers: Answer[] = [];
  probes.split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('!')) return;
    answers.push({ line: index + 1, text, ...answerOne(evaluated, text, false) });
  });
  return answers;
}

/** The answer again, with explained traces. */
export function explained(evaluated: Evaluated, answer: Answer): Answer {
  return { line: answer.line, text: answer.text, ...answerOne(evaluated, answer.text, true) };
}

function answerOne(evaluated: Evaluated, text: string, explain: boolean): AnswerBody {
  const { set } = evaluated;
  const policy = explain ? evaluated.explaining : evaluated.policy;
  if (text.startsWith('{')) {
    let tuple: unknown;
    try {
      tuple = JSON.parse(text);
    } catch (error) {
      return { kind: 'error', message: `not valid JSON: ${(error as Error).message}` };
    }
    if (typeof policy === 'string') return { kind: 'error', message: `the access options are wrong: ${policy}` };
    const decision = policy.decide(tuple);
    if (decision instanceof TupleError) return { kind: 'error', message: decision.message };
    return { kind: 'decision', tuple: tuple as Record<string, unknown>, decision };
  }
  const space = text.search(/\s/);
  const table = space < 0 ? text : text.slice(0, space);
  const probe = space < 0 ? '' : text.slice(space).trim();
  return { kind: 'mapping', table, probe, result: set.mapSync(table, probe, { explain }) };
}

/** The engine results an answer holds: the mapping, or each table a decision consulted. */
export function mappingsOf(answer: Answer): MappingResult[] {
  if (answer.kind === 'mapping') return [answer.result];
  if (answer.kind === 'decision') return answer.decision.results.flatMap((result) => (result.mapping ? [result.mapping] : []));
  return [];
}
