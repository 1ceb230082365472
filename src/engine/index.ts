import { compilePattern, MatchBudgetExceededError } from '../compile/index.js';
import { asciiUpper, compileTemplate, type TemplateProgram } from '../compile/template.js';
import type { Entry, ParsedMappings } from '../syntax/ast.js';
import { parseTemplate } from '../syntax/template/index.js';
import { runAsync, runSync } from './drive.js';
import { EvaluationFailure, type Evaluation } from './expand.js';
import { MappingCall, type CompiledTable, type Engine } from './mapping.js';
import { validateCompileOptions, type CompileOptions } from './options.js';
import { createGeneralDatabase, fileSequence } from './providers.js';
import type { EvaluationError, MapOptions, MappingResult } from './types.js';

export type * from './options.js';
export { InvalidCompileOptionsError } from './options.js';
export {
  createGeneralDatabase,
  fileSequence,
  formatSequenceValue,
  loadGeneralDatabase,
  memorySequence,
  parseGeneralDatabase,
  type GeneralDatabase,
} from './providers.js';
export { MAX_NESTING_DEPTH } from './expand.js';

/** Compiled tables with their providers: what callers map strings through (M1, M10). */
export interface MappingSet {
  /** Upper-cased names of the tables, in file order. */
  readonly tables: readonly string[];
  /** Whether a table of that name (case-insensitive, F4) exists. */
  has(table: string): boolean;
  /** The parsed entries of a table, in order, or undefined when there is no such table. */
  entries(table: string): readonly Entry[] | undefined;
  /** Maps `input` through `table`; a provider answering with a promise gives AsyncProviderInSyncCall (M10). */
  mapSync(table: string, input: string, options?: MapOptions): MappingResult;
  /** Maps `input` through `table`, awaiting asynchronous providers (M10). */
  map(table: string, input: string, options?: MapOptions): Promise<MappingResult>;
}

const DEFAULT_STEP_LIMIT = 10_000;

/** Routine results and database values repeat; their programs are kept, up to this many texts. */
const RETURNED_TEXT_CACHE_SIZE = 1024;

/** Input flags as results show them: letters upper-cased, ascending, no repeats (T6). */
function normaliseInputFlags(flags: string): string {
  return flags === '' ? flags : [...new Set(asciiUpper(flags))].sort(byCodePoint).join('');
}

/** A table by name (F4); callers mostly pass the upper-cased name already, which skips the case folding. */
function findTable(engine: Engine, name: string): CompiledTable | undefined {
  return engine.tables.get(name) ?? engine.tables.get(asciiUpper(name));
}

function byCodePoint(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

function evaluationErrorOf(error: unknown): EvaluationError | null {
  if (error instanceof EvaluationFailure) return { code: error.code, message: error.message };
  if (error instanceof MatchBudgetExceededError) return { code: 'MatchBudgetExceeded', message: error.message };
  return null;
}

/** One top-level call (M1): the UnknownTable check, the M2 loop, and evaluation errors turned into results (M7). */
function* evaluate(engine: Engine, tableName: string, input: string, options: MapOptions): Evaluation<MappingResult> {
  const inputFlags = normaliseInputFlags(options.flags ?? '');
  const compiled = findTable(engine, tableName);
  if (!compiled) {
    const table = asciiUpper(tableName);
    const error: EvaluationError = { code: 'UnknownTable', message: `table ${table} is not defined` };
    return { table, input, inputFlags, matched: false, output: input, flags: [], trace: [], error };
  }
  const table = compiled.name;
  const call = new MappingCall(engine, inputFlags, options.explain === true);
  try {
    const outcome = yield* call.mapTable(compiled, input, 0);
    const result: MappingResult = {
      table,
      input,
      inputFlags,
      matched: outcome.matched,
      output: outcome.output,
      flags: [...outcome.flags].sort(byCodePoint),
      trace: call.trace,
    };
    if (outcome.producer) result.entry = outcome.producer;
    return result;
  } catch (thrown) {
    const error = evaluationErrorOf(thrown);
    if (!error) throw thrown;
    const matched = call.trace.some((step) => step.depth === 0);
    return { table, input, inputFlags, matched, output: input, flags: [], trace: call.trace, error };
  }
}

/**
 * The program of a routine result or database value (T10 item 2, T11): parsed as template text as it
 * stands — it never went through F8, so its white space is literal.
 */
function compileReturnedText(text: string): TemplateProgram | string {
  const { nodes, problems } = parseTemplate(text);
  const error = problems.find((problem) => problem.severity === 'error');
  return error ? `${error.message} at offset ${error.offset}` : compileTemplate(nodes);
}

/** Compiles parsed mappings into a MappingSet; options are validated (zod) and malformed ones throw. */
export function compile(parsed: ParsedMappings, options?: CompileOptions): MappingSet {
  const settings = validateCompileOptions(options);
  const matcherOptions = settings.backmatchBudget === undefined ? {} : { backmatchBudget: settings.backmatchBudget };
  const tables = new Map<string, CompiledTable>();
  const sources = new Map<string, readonly Entry[]>();
  for (const table of parsed.tables) {
    const entries = table.entries.map((entry) => ({
      source: entry,
      ref: { table: table.name, index: entry.index, file: entry.patternSpan.file, line: entry.patternSpan.line },
      matcher: compilePattern(entry.patternItems, matcherOptions),
      program: compileTemplate(entry.templateNodes),
    }));
    tables.set(table.name, { name: table.name, entries });
    sources.set(table.name, table.entries);
  }

  const returnedTexts = new Map<string, TemplateProgram | string>();
  const engine: Engine = {
    tables,
    routines: settings.routines ?? {},
    database: settings.providers?.database ?? createGeneralDatabase([]),
    url: settings.providers?.url,
    domain: settings.providers?.domain,
    sequence: settings.providers?.sequence ?? fileSequence(),
    random: settings.random ?? Math.random,
    stepLimit: settings.stepLimit ?? DEFAULT_STEP_LIMIT,
    returnedTextProgram(text) {
      let program = returnedTexts.get(text);
      if (program === undefined) {
        if (returnedTexts.size >= RETURNED_TEXT_CACHE_SIZE) returnedTexts.clear();
        program = compileReturnedText(text);
        returnedTexts.set(text, program);
      }
      return program;
    },
  };

  const names = [...tables.keys()];
  return {
    tables: names,
    has: (table) => findTable(engine, table) !== undefined,
    entries: (table) => sources.get(asciiUpper(table)),
    mapSync: (table, input, mapOptions = {}) => runSync(evaluate(engine, table, input, mapOptions)),
    map: (table, input, mapOptions = {}) => runAsync(evaluate(engine, table, input, mapOptions)),
  };
}
