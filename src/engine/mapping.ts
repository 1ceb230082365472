import type { CompiledPattern } from '../compile/index.js';
import type { TemplateProgram } from '../compile/template.js';
import type { Entry } from '../syntax/ast.js';
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
import type { EntryRef, TraceStep } from './types.js';

/** An entry ready to run: its matcher, its template program and how the trace names it. */
export interface CompiledEntry {
  readonly source: Entry;
  readonly ref: EntryRef;
  /** The P1–P10 matcher; its `match` may throw the budget error of P12. */
  readonly matcher: CompiledPattern;
  readonly program: TemplateProgram;
}

/** A table ready to run: entries in file order. */
export interface CompiledTable {
  readonly name: string;
  readonly entries: readonly CompiledEntry[];
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
  returnedTextProgram(text: string): TemplateProgram | string;
}

/** Where one scan found its entry. */
export interface FoundEntry {
  position: number;
  captures: string[];
}

/**
 * M2's "first entry e with index(e) >= i whose pattern matches s", here as a linear scan. Kept on its own
 * so an index can replace it; `skipped` (explain only) receives the entries passed over.
 */
export function findFirstMatch(
  table: CompiledTable,
  input: string,
  from: number,
  skipped: Array<{ entry: EntryRef; reason: string }> | null,
): FoundEntry | null {
  const entries = table.entries;
  for (let position = from; position < entries.length; position++) {
    const captures = entries[position].matcher.match(input);
    if (captures) return { position, captures };
    skipped?.push({ entry: entries[position].ref, reason: 'pattern does not match' });
  }
  return null;
}

/** What mapping one string through one table produced (M1, without the call-level fields). */
export interface TableOutcome extends NestedOutcome {
  matched: boolean;
  flags: Set<string>;
  /** The entry whose step produced the output, if any applied. */
  producer: EntryRef | undefined;
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
  }

  /** The program of a routine result or database value, compiled once per text by the engine. */
  returnedTextProgram(text: string): TemplateProgram | string {
    return this.engine.returnedTextProgram(text);
  }

  /** A nested `$|table;…|` call (T9): an undefined table is reported as not found, never as an error. */
  *mapNested(table: string, input: string, depth: number): Evaluation<NestedOutcome> {
    const compiled = this.engine.tables.get(table);
    if (!compiled) return { found: false, output: input, flags: new Set() };
    return yield* this.mapTable(compiled, input, depth);
  }

  /** The M2 algorithm, step for step as its pseudocode. Evaluation errors are thrown as EvaluationFailure. */
  *mapTable(table: CompiledTable, input: string, depth: number): Evaluation<TableOutcome> {
    const flags = new Set<string>();
    let current = input;
    let matched = false;
    let position = 0;
    let extraPass = false;
    // The step whose `$L` arranged the pending pass: it takes the loop-limit outcome if that pass is refused.
    let extraPassStep: TraceStep | null = null;
    let loop: LoopCounter | null = null;
    let producer: EntryRef | undefined;
    const finish = (output: string): TableOutcome => ({ found: true, matched, output, flags, producer });

    for (;;) {
      const skipped = this.explain ? [] : null;
      const found = findFirstMatch(table, current, position, skipped);
      if (!found) {
        if (!extraPass) return finish(current);
        // M5: the extra pass counts as a restart (M6).
        extraPass = false;
        if ((loop ??= new LoopCounter(input)).exceeded(current)) {
          if (extraPassStep) extraPassStep.outcome = 'loop-limit';
          return finish(current);
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
      const entry = table.entries[found.position];
      const step: TraceStep = { entry: entry.ref, depth, before: current, after: current, control: 'E', outcome: 'applied' };
      if (skipped) {
        step.pattern = entry.source.pattern;
        step.template = entry.source.template;
        step.captures = found.captures;
        step.substitutions = [];
        step.skipped = skipped;
      }
      this.trace.push(step);

      const expansion: Expansion = {
        services: this,
        table: table.name,
        entry: entry.ref,
        input: current,
        captures: found.captures,
        depth,
        control: null,
        failure: null,
        flags: [],
        substitutions: step.substitutions ?? null,
      };
      const scope = newScope();
      const program = entry.program;
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
        return finish(current);
      }

      // M8: flags of every completed entry, whatever its control.
      for (const flag of program.flags) flags.add(flag);
      for (const flag of expansion.flags) flags.add(flag);
      step.after = scope.text;
      producer = entry.ref;
      current = scope.text;
      position = found.position + 1;
      switch (control) {
        case 'E':
          return finish(current);
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
            return finish(current);
          }
          position = 0;
          break;
      }
    }
  }
}
