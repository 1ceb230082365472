import { byCodePoint, type TemplateProgram } from '../compile/template.js';
import { foldAscii } from '../syntax/case.js';
import type { Entry } from '../syntax/ast.js';
import type { CompiledEntry, FoundEntry } from './entry.js';
import {
  EvaluationFailure,
  expandOps,
  expandPlain,
  newScope,
  type Evaluation,
  type Expansion,
  type ExpansionServices,
  type NestedOutcome,
} from './expand.js';
import type { DatabaseProvider, DomainProvider, Routine, SequenceProvider, UrlProvider } from './options.js';
import { TableIndex, type CandidatesOf } from './table-index/index.js';
import type { EntryRef, TraceStep } from './types.js';

/** Fields per entry in CompiledTable's step data: program number, line, file number. */
const STEP_FIELDS = 3;

/** What CompiledTable.restore assigns: the fields its constructor computes. */
interface CompiledTableParts {
  name: string;
  entries: readonly CompiledEntry[];
  programs: readonly TemplateProgram[];
  files: readonly string[];
  steps: Int32Array;
  index: TableIndex | null;
}

/**
 * A table ready to run: entries in file order, the index that finds them (null: scan linearly), and
 * what a step needs of its entry — template program and where the entry stands — in one flat array.
 * A step used to reach them through the entry object (and its reference object): at 100,000 entries
 * each of those hops was a cache miss, where one read of the flat array and a new small reference
 * object cost less (bench/index.bench.mjs).
 */
export class CompiledTable {
  readonly index: TableIndex | null;
  private readonly programs: readonly TemplateProgram[];
  private readonly files: readonly string[];
  private readonly steps: Int32Array;

  constructor(
    readonly name: string,
    readonly entries: readonly CompiledEntry[],
    programOf: (entry: Entry) => TemplateProgram,
    indexed: boolean,
    candidatesOf?: CandidatesOf,
  ) {
    const programs: TemplateProgram[] = [];
    const programNumbers = new Map<TemplateProgram, number>();
    const files: string[] = [];
    this.steps = new Int32Array(STEP_FIELDS * entries.length);
    entries.forEach(({ source }, position) => {
      const program = programOf(source);
      let number = programNumbers.get(program);
      if (number === undefined) programNumbers.set(program, (number = programs.push(program) - 1));
      let file = files.indexOf(source.patternSpan.file);
      if (file < 0) file = files.push(source.patternSpan.file) - 1;
      const at = STEP_FIELDS * position;
      this.steps[at] = number;
      this.steps[at + 1] = source.patternSpan.line;
      this.steps[at + 2] = file;
    });
    this.programs = programs;
    this.files = files;
    this.index = indexed ? TableIndex.build(entries, candidatesOf) : null;
  }

  /** Fields per entry of the step data `restore` takes: program number, line, file number. */
  static readonly STEP_FIELDS = STEP_FIELDS;

  /** A table from the parts a compiled file stores (src/engine/snapshot): nothing is recomputed. */
  static restore(name: string, entries: readonly CompiledEntry[], programs: readonly TemplateProgram[], files: readonly string[], steps: Int32Array, index: TableIndex | null): CompiledTable {
    const parts: CompiledTableParts = { name, entries, programs, files, steps, index };
    return Object.assign(Object.create(CompiledTable.prototype) as CompiledTable, parts);
  }

  /** The template program of the entry at a position. */
  program(position: number): TemplateProgram {
    return this.programs[this.steps[STEP_FIELDS * position]];
  }

  /** How results and traces name the entry at a position (Entry.index is the 1-based position); a new object each time (see above). */
  ref(position: number): EntryRef {
    const at = STEP_FIELDS * position;
    return { table: this.name, index: position + 1, file: this.files[this.steps[at + 2]], line: this.steps[at + 1] };
  }
}

/** The parts of a compiled mapping set a call runs on. */
export interface Engine {
  readonly tables: ReadonlyMap<string, CompiledTable>;
  readonly routines: Readonly<Record<string, Routine>>;
  readonly database: DatabaseProvider;
  readonly url: UrlProvider | undefined;
  readonly domain: DomainProvider | undefined;
  readonly sequence: SequenceProvider;
  readonly random: () => number;
  readonly stepLimit: number;
  readonly outputLimit: number;
  returnedTextProgram(text: string): TemplateProgram | string;
}

/**
 * M2's "first entry e with index(e) >= i whose pattern matches s" as a linear scan: the reference the
 * table index is tested against (test/engine/index-differential.test.ts), the evaluator of tables
 * compiled with `linearScan`, and the explain path, whose `skipped` receives every entry passed over.
 */
export function findFirstMatch(
  table: CompiledTable,
  input: string,
  from: number,
  skipped: Array<{ entry: EntryRef; reason: string }> | null,
): FoundEntry | null {
  const entries = table.entries;
  // Folded once for the whole scan, on the first matcher that works on a folded copy (P1).
  let folded: string | undefined;
  for (let position = from; position < entries.length; position++) {
    const matcher = entries[position].matcher;
    const captures = matcher.usesFoldedInput ? matcher.match(input, (folded ??= foldAscii(input))) : matcher.match(input);
    if (captures) return { position, captures };
    skipped?.push({ entry: table.ref(position), reason: 'pattern does not match' });
  }
  return null;
}

/** What mapping one string through one table produced (M1, without the call-level fields). */
export interface MapTableOutcome extends NestedOutcome {
  matched: boolean;
  /** The entry whose step produced the output, if any applied. */
  producer: EntryRef | undefined;
}

const NO_FLAGS: readonly string[] = [];

function mapTableOutcome(matched: boolean, output: string, flags: readonly string[], producer: EntryRef | undefined): MapTableOutcome {
  return { found: true, matched, output, flags, producer };
}

/**
 * The flags collected so far with more added (M8), ascending without repeats. Lists are shared, never
 * changed: a probe whose one completed entry sets the flags takes its program's list as it is.
 */
function withFlags(flags: readonly string[], added: readonly string[]): readonly string[] {
  if (flags.length === 0 && isAscendingSet(added)) return added;
  let merged: string[] | null = null;
  for (const flag of added) {
    if (!(merged ?? flags).includes(flag)) (merged ??= [...flags]).push(flag);
  }
  return merged === null ? flags : merged.sort(byCodePoint);
}

function isAscendingSet(flags: readonly string[]): boolean {
  for (let index = 1; index < flags.length; index++) if (byCodePoint(flags[index - 1], flags[index]) >= 0) return false;
  return true;
}

/** Length in code points, the unit of P2, for the loop counter's "not shorter" test (M6). */
function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** M6: counts restarts (`$R` and `$L` passes) whose new string is not shorter than the previous pass's start. */
class LoopCounter {
  private restarts = 0;
  private passStartLength: number;
  constructor(input: string) {
    this.passStartLength = codePointLength(input);
  }
  /** Records a restart to `next`; true when the counter now exceeds 10 and the restart must not be made. */
  exceeded(next: string): boolean {
    const length = codePointLength(next);
    this.restarts = length >= this.passStartLength ? this.restarts + 1 : 0;
    this.passStartLength = length;
    return this.restarts > 10;
  }
}

/**
 * One top-level call and every nested call it makes: the shared step count (M7), trace (M1) and input
 * flags (T6, T9). It serves the expander's needs, nested mapping included.
 */
export class MappingCall implements ExpansionServices {
  steps = 0;
  readonly trace: TraceStep[] = [];
  readonly routines: Readonly<Record<string, Routine>>;
  readonly database: DatabaseProvider;
  readonly url: UrlProvider | undefined;
  readonly domain: DomainProvider | undefined;
  readonly sequence: SequenceProvider;
  readonly random: () => number;
  readonly outputLimit: number;

  constructor(
    private readonly engine: Engine,
    readonly inputFlags: string,
    private readonly explain: boolean,
  ) {
    this.routines = engine.routines;
    this.database = engine.database;
    this.url = engine.url;
    this.domain = engine.domain;
    this.sequence = engine.sequence;
    this.random = engine.random;
    this.outputLimit = engine.outputLimit;
  }

  /** The program of a routine result or database value, compiled once per text by the engine. */
  returnedTextProgram(text: string): TemplateProgram | string {
    return this.engine.returnedTextProgram(text);
  }

  /** A nested `$|table;…|` call (T9): an undefined table is reported as not found, never as an error. */
  *mapNested(table: string, input: string, depth: number): Evaluation<NestedOutcome> {
    const compiled = this.engine.tables.get(table);
    if (!compiled) return { found: false, output: input, flags: NO_FLAGS };
    return yield* this.mapTable(compiled, input, depth);
  }

  /** The M2 algorithm, step for step as its pseudocode. Evaluation errors are thrown as EvaluationFailure. */
  *mapTable(table: CompiledTable, input: string, depth: number): Evaluation<MapTableOutcome> {
    let flags = NO_FLAGS;
    let current = input;
    let matched = false;
    let position = 0;
    let extraPass = false;
    // The step whose `$L` arranged the pending pass: it takes the loop-limit outcome if that pass is refused.
    let extraPassStep: TraceStep | null = null;
    let loop: LoopCounter | null = null;
    let producer: EntryRef | undefined;

    for (;;) {
      const skipped = this.explain ? [] : null;
      // Explaining lists every entry passed over, which is a linear walk by nature.
      const found =
        table.index === null || skipped !== null
          ? findFirstMatch(table, current, position, skipped)
          : table.index.firstMatch(current, position);
      if (!found) {
        if (!extraPass) return mapTableOutcome(matched, current, flags, producer);
        // M5: the extra pass counts as a restart (M6).
        extraPass = false;
        if ((loop ??= new LoopCounter(input)).exceeded(current)) {
          if (extraPassStep) extraPassStep.outcome = 'loop-limit';
          return mapTableOutcome(matched, current, flags, producer);
        }
        position = 0;
        continue;
      }

      matched = true;
      if (++this.steps > this.engine.stepLimit) {
        throw new EvaluationFailure(
          'StepLimitExceeded',
          `more than ${this.engine.stepLimit} template expansions in one call (M7)`,
        );
      }
      const ref = table.ref(found.position);
      const step: TraceStep = { entry: ref, depth, before: current, after: current, control: 'E', outcome: 'applied' };
      if (skipped) {
        const { source } = table.entries[found.position];
        step.pattern = source.pattern;
        step.template = source.template;
        step.captures = found.captures;
        step.substitutions = [];
        step.skipped = skipped;
      }
      this.trace.push(step);

      const expansion: Expansion = {
        services: this,
        table: table.name,
        entry: ref,
        input: current,
        captures: found.captures,
        depth,
        control: null,
        failure: null,
        flags: [],
        substitutions: step.substitutions ?? null,
      };
      const scope = newScope();
      const program = table.program(found.position);
      const completed = program.hasLookup
        ? yield* expandOps(program.ops, scope, expansion)
        : expandPlain(program.ops, scope, expansion);
      const control = expansion.control ?? 'E';
      step.control = control;

      if (!completed) {
        // M3: the control in force at the failure decides; the entry contributes nothing.
        if (expansion.failure !== null) step.reason = expansion.failure;
        if (control !== 'E') {
          step.outcome = 'failed-continue';
          position = found.position + 1;
          continue;
        }
        step.outcome = 'failed-end';
        return mapTableOutcome(matched, current, flags, producer);
      }

      // M8: flags of every completed entry, whatever its control.
      flags = withFlags(withFlags(flags, program.flags), expansion.flags);
      step.after = scope.text;
      producer = ref;
      current = scope.text;
      position = found.position + 1;
      switch (control) {
        case 'E':
          return mapTableOutcome(matched, current, flags, producer);
        case 'C':
          extraPass = false;
          break;
        case 'L':
          extraPass = true;
          extraPassStep = step;
          break;
        case 'R':
          extraPass = false;
          if ((loop ??= new LoopCounter(input)).exceeded(current)) {
            // M6: the restart is not made; the step acts as `$E`.
            step.outcome = 'loop-limit';
            return mapTableOutcome(matched, current, flags, producer);
          }
          position = 0;
          break;
      }
    }
  }
}
