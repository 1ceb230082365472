import { MatchBudgetExceededError } from '../compile/index.js';
import { byCodePoint, compileTemplate, type TemplateProgram } from '../compile/template.js';
import { asciiUpper } from '../syntax/case.js';
import type { Entry, ParsedMappings, Table, TemplateNode } from '../syntax/ast.js';
import { parseTemplate } from '../syntax/template/index.js';
import { driveAsync, driveSync } from './drive.js';
import { CompiledEntry } from './entry.js';
import { EvaluationFailure, type Evaluation } from './expand.js';
import { CompiledTable, MappingCall, type Engine, type MapTableOutcome } from './mapping.js';
import { validateCompileOptions, type CompileOptions, type SequenceProvider } from './options.js';
import { createGeneralDatabase } from './providers.js';
import { restoreTables } from './snapshot/stored.js';
import type { CandidatesOf } from './table-index/index.js';
import type { EvaluationError, MapOptions, MappingResult } from './types.js';

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

/** M12: the longest string a call may build unless the caller sets `outputLimit`. */
const DEFAULT_OUTPUT_LIMIT = 65_536;

/**
 * The default `$#…#` provider: every lookup fails (T12). Counter files are the MTA's live state, so
 * writing them is opt-in through `fileSequence` (M13).
 */
const noSequence: SequenceProvider = () => null;

/** Routine results and database values repeat; their programs are kept, up to this many texts. */
const RETURNED_TEXT_CACHE_SIZE = 1024;

/** Input flags as results show them: letters upper-cased, ascending, no repeats (T6). */
function normaliseInputFlags(flags: string): string {
  return isNormalInputFlags(flags) ? flags : [...new Set(asciiUpper(flags))].sort(byCodePoint).join('');
}

/** Whether flags are already upper-case ASCII letters in ascending order, as the access stage passes them. */
function isNormalInputFlags(flags: string): boolean {
  let previous = 0;
  for (let unit = 0; unit < flags.length; unit++) {
    const code = flags.charCodeAt(unit);
    if (code <= previous || code < 0x41 || code > 0x5a) return false;
    previous = code;
  }
  return true;
}

/** A table by name (F4); callers mostly pass the upper-cased name already, which skips the case folding. */
function findTable(engine: Engine, name: string): CompiledTable | undefined {
  return engine.tables.get(name) ?? engine.tables.get(asciiUpper(name));
}

function evaluationErrorOf(error: unknown): EvaluationError | null {
  if (error instanceof EvaluationFailure) return { code: error.code, message: error.message };
  if (error instanceof MatchBudgetExceededError) return { code: 'MatchBudgetExceeded', message: error.message };
  return null;
}

/**
 * One top-level call (M1) once its table is found: the M2 loop to run, and its outcome or evaluation
 * error (M7) turned into a result. `mapSync` and `map` run the same loop with their own driver (M10).
 */
class TopLevelCall {
  readonly call: MappingCall;

  constructor(
    engine: Engine,
    private readonly compiled: CompiledTable,
    private readonly input: string,
    private readonly inputFlags: string,
    explain: boolean,
  ) {
    this.call = new MappingCall(engine, inputFlags, explain);
  }

  /** The M2 loop over the table, for a driver to run. */
  evaluation(): Evaluation<MapTableOutcome> {
    return this.call.mapTable(this.compiled, this.input, 0);
  }

  /** The result of a completed call. */
  result(outcome: MapTableOutcome): MappingResult {
    const result: MappingResult = {
      table: this.compiled.name,
      input: this.input,
      inputFlags: this.inputFlags,
      matched: outcome.matched,
      output: outcome.output,
      flags: outcome.flags.length === 0 ? [] : outcome.flags.slice(),
      trace: this.call.trace,
    };
    if (outcome.producer) result.entry = outcome.producer;
    return result;
  }

  /** The result of a call ended by an evaluation error (M7); anything else is a bug and is rethrown. */
  failure(thrown: unknown): MappingResult {
    const error = evaluationErrorOf(thrown);
    if (!error) throw thrown;
    const { input, inputFlags, call } = this;
    const matched = call.trace.some((step) => step.depth === 0);
    return { table: this.compiled.name, input, inputFlags, matched, output: input, flags: [], trace: call.trace, error };
  }
}

/**
 * Starts a top-level call, or answers it at once with UnknownTable (M1). The driver runs the call's
 * generator directly: wrapping it in a generator of its own adds a generator per call, a cost
 * bench/index.bench.mjs sees on small tables.
 */
function startCall(engine: Engine, tableName: string, input: string, options: MapOptions): TopLevelCall | MappingResult {
  const inputFlags = normaliseInputFlags(options.flags ?? '');
  const compiled = findTable(engine, tableName);
  if (compiled) return new TopLevelCall(engine, compiled, input, inputFlags, options.explain === true);
  const table = asciiUpper(tableName);
  const error: EvaluationError = { code: 'UnknownTable', message: `table ${table} is not defined` };
  return { table, input, inputFlags, matched: false, output: input, flags: [], trace: [], error };
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
  return compileValidated(parsed, validateCompileOptions(options));
}

/**
 * What a compile may take over from the compile of an earlier version of the same file
 * (IncrementalCompiler): each method answers from what it kept, or with what `build` makes.
 */
export interface CompileReuse {
  /** The compiled table of a table whose entries are exactly these. */
  table(name: string, entries: readonly Entry[], build: () => CompiledTable): CompiledTable;
  /** The compiled entry of a parsed entry, with whatever matcher it has built. */
  entry(entry: Entry, build: () => CompiledEntry): CompiledEntry;
  /** The program of a template's nodes. */
  program(nodes: readonly TemplateNode[], build: () => TemplateProgram): TemplateProgram;
  /** An entry's candidate keys for the table index. */
  candidates: CandidatesOf;
}

/** compile with options validateCompileOptions has checked, taking over what `reuse` holds. */
export function compileValidated(parsed: ParsedMappings, settings: CompileOptions, reuse?: CompileReuse): MappingSet {
  const matcherOptions = settings.backmatchBudget === undefined ? {} : { backmatchBudget: settings.backmatchBudget };
  const tables = new Map<string, CompiledTable>();
  const sources = new Map<string, readonly Entry[]>();
  // The parser shares one node list among entries with the same template text (`$Y`, `$N`, a
  // rejection text): one program for each is enough, as programs are never mutated.
  const programs = new Map<readonly TemplateNode[], TemplateProgram>();
  const programOf = (nodes: readonly TemplateNode[]): TemplateProgram => {
    let program = programs.get(nodes);
    if (program === undefined) {
      const build = () => compileTemplate(nodes);
      programs.set(nodes, (program = reuse === undefined ? build() : reuse.program(nodes, build)));
    }
    return program;
  };
  const entryOf = (entry: Entry): CompiledEntry => {
    const build = () => new CompiledEntry(entry, matcherOptions);
    return reuse === undefined ? build() : reuse.entry(entry, build);
  };
  const indexed = settings.linearScan !== true;
  const buildTable = (table: Table) => (): CompiledTable =>
    new CompiledTable(table.name, table.entries.map(entryOf), (entry) => programOf(entry.templateNodes), indexed, reuse?.candidates);
  // Mappings loaded from a compiled file (imsmap build) bring their tables' indexes along.
  const restored = restoreTables(parsed, matcherOptions, programOf, indexed);
  parsed.tables.forEach((table, number) => {
    const compiled = restored?.[number] ?? (reuse === undefined ? buildTable(table)() : reuse.table(table.name, table.entries, buildTable(table)));
    tables.set(table.name, compiled);
    sources.set(table.name, table.entries);
  });

  const returnedTexts = new Map<string, TemplateProgram | string>();
  const engine: Engine = {
    tables,
    routines: settings.routines ?? {},
    database: settings.providers?.database ?? createGeneralDatabase([]),
    url: settings.providers?.url,
    domain: settings.providers?.domain,
    sequence: settings.providers?.sequence ?? noSequence,
    random: settings.random ?? Math.random,
    stepLimit: settings.stepLimit ?? DEFAULT_STEP_LIMIT,
    outputLimit: settings.outputLimit ?? DEFAULT_OUTPUT_LIMIT,
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
    mapSync(table, input, mapOptions = {}) {
      const started = startCall(engine, table, input, mapOptions);
      if (!(started instanceof TopLevelCall)) return started;
      try {
        return started.result(driveSync(started.evaluation()));
      } catch (thrown) {
        return started.failure(thrown);
      }
    },
    async map(table, input, mapOptions = {}) {
      const started = startCall(engine, table, input, mapOptions);
      if (!(started instanceof TopLevelCall)) return started;
      try {
        return started.result(await driveAsync(started.evaluation()));
      } catch (thrown) {
        return started.failure(thrown);
      }
    },
  };
}
