import {
  type CaseMode,
  type Control,
  type Lookup,
  type TemplateOp,
  type TemplateProgram,
} from '../compile/template.js';
import { asciiUpper, foldAscii } from '../syntax/case.js';
import type { DatabaseProvider, DomainProvider, LookupContext, MaybePromise, Routine, SequenceProvider, UrlProvider } from './options.js';
import { formatSequenceValue, resolveRoutine } from './providers.js';
import type { EntryRef, EvaluationErrorCode } from './types.js';

/**
 * A piece of evaluation that may have to wait for a provider (M10). It yields only promises a provider
 * returned and resumes with their values, so one implementation serves both drivers: `driveSync` refuses
 * the first promise, `driveAsync` awaits it.
 */
export type Evaluation<T> = Generator<PromiseLike<unknown>, T, unknown>;

/** An evaluation error (M7, M10) on its way to the top-level call, which turns it into an error result. */
export class EvaluationFailure extends Error {
  override name = 'EvaluationFailure';
  constructor(
    readonly code: EvaluationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** At most this many nested calls and text re-expansions may be active at once (T9). */
export const MAX_NESTING_DEPTH = 10;

/** What a nested `$|table;argument|` call hands back to the entry that made it (T9). */
export interface NestedOutcome {
  found: boolean;
  output: string;
  /** Ascending, no repeats (M8). */
  flags: readonly string[];
}

/** Everything an expansion needs from the mapping call around it. */
export interface ExpansionServices {
  inputFlags: string;
  random: () => number;
  routines: Readonly<Record<string, Routine>>;
  database: DatabaseProvider;
  url: UrlProvider | undefined;
  domain: DomainProvider | undefined;
  sequence: SequenceProvider;
  /** Longest string the call may build (M12). */
  outputLimit: number;
  /** Maps `input` through `table` (already upper-cased) as a nested call at `depth` (T9). */
  mapNested(table: string, input: string, depth: number): Evaluation<NestedOutcome>;
  /** The program of a routine result or database value (T10 item 2), or why it is not a valid template. */
  returnedTextProgram(text: string): TemplateProgram | string;
}

/** The state of one entry's expansion: controls, failure and re-expanded flags are shared by all its scopes (T5, T8). */
export interface Expansion {
  readonly services: ExpansionServices;
  readonly table: string;
  readonly entry: EntryRef;
  /** The string the step started from. */
  readonly input: string;
  readonly captures: readonly string[];
  /** Nesting depth of the running call plus active re-expansions (T9). */
  depth: number;
  /** The last control expanded so far (T5): at a failure, the control in force (M3). */
  control: Control | null;
  failure: string | null;
  /** Flags of re-expanded routine results and database values; the template's own are in its program. */
  readonly flags: string[];
  /** With `explain`: one readable line per substitution and lookup. */
  readonly substitutions: string[] | null;
}

/** Output of one scope: the template itself, a bracketed argument or a re-expanded text (T4 item 4). */
export interface Scope {
  text: string;
  caseMode: CaseMode;
  quoting: boolean;
}

/** A fresh scope in the default modes: original case, no quoting. */
export function newScope(): Scope {
  return { text: '', caseMode: 'original', quoting: false };
}

const LDAP_ESCAPES: Record<string, string> = { '\\': '\\5c', '*': '\\2a', '(': '\\28', ')': '\\29', '\0': '\\00' };

/** RFC 4515 quoting of a value inside an LDAP filter, lower-case hex (T4 item 2). */
export function ldapQuote(text: string): string {
  return text.replace(/[\\*()\0]/g, (character) => LDAP_ESCAPES[character]);
}

function fail(expansion: Expansion, reason: string): false {
  expansion.failure = reason;
  return false;
}

function note(expansion: Expansion, line: string): void {
  expansion.substitutions?.push(line);
}

/**
 * Appends to a scope's text, refusing with OutputLimitExceeded a text that would grow past the call's
 * limit (M12): the test comes before the concatenation, so no oversized string is ever made.
 */
function append(scope: Scope, value: string, expansion: Expansion): void {
  refuseOverLimit(scope, value, expansion);
  scope.text += value;
}

function refuseOverLimit(scope: Scope, value: string, expansion: Expansion): void {
  const limit = expansion.services.outputLimit;
  if (scope.text.length + value.length > limit) {
    throw new EvaluationFailure(
      'OutputLimitExceeded',
      `${expansion.table} entry at ${expansion.entry.file}:${expansion.entry.line} would build a string longer than ${limit} characters (M12)`,
    );
  }
}

/** Adds substituted text: case mode first, then `$=` quoting where the text is quotable (T4 items 1–2). */
function insert(scope: Scope, value: string, quotable: boolean, expansion: Expansion): void {
  // Case changes keep the length and quoting only lengthens: an oversized value is refused before either copies it.
  refuseOverLimit(scope, value, expansion);
  const cased = scope.caseMode === 'original' ? value : scope.caseMode === 'lower' ? foldAscii(value) : asciiUpper(value);
  append(scope, quotable && scope.quoting ? ldapQuote(cased) : cased, expansion);
}

type PlainOp = Exclude<TemplateOp, { kind: 'lookup' }>;

/** Executes an op that cannot wait for a provider; false when expansion fails here (T12). */
function applyOp(op: PlainOp, scope: Scope, expansion: Expansion): boolean {
  switch (op.kind) {
    case 'text':
      append(scope, scope.caseMode === 'original' ? op.text : scope.caseMode === 'lower' ? op.lower : op.upper, expansion);
      return true;
    case 'capture': {
      // T3: an item the pattern does not have inserts the empty string.
      const value = expansion.captures[op.index] ?? '';
      note(expansion, `$${op.index} = ${JSON.stringify(value)}`);
      insert(scope, value, true, expansion);
      return true;
    }
    case 'case':
      scope.caseMode = op.mode;
      // T4 item 3: `$_` also ends `$=` quoting.
      if (op.mode === 'original') scope.quoting = false;
      return true;
    case 'quote':
      scope.quoting = true;
      return true;
    case 'control':
      expansion.control = op.control;
      return true;
    case 'flagTest': {
      // T6: the call's input flags, normalised to upper case like the flag letter.
      if (expansion.services.inputFlags.includes(op.flag) === op.whenSet) return true;
      return fail(expansion, `input flag ${op.flag} is ${op.whenSet ? 'not set' : 'set'}`);
    }
    case 'random': {
      const draw = expansion.services.random();
      if (draw * 100 < op.percent) return true;
      return fail(expansion, `$?${op.percent}? lost its draw (${draw})`);
    }
  }
}

/** Expands a program without lookups: a plain loop, no generator (M10 hot path). */
export function expandPlain(ops: readonly TemplateOp[], scope: Scope, expansion: Expansion): boolean {
  for (const op of ops) if (!applyOp(op as PlainOp, scope, expansion)) return false;
  return true;
}

/** Expands ops left to right (T1), waiting for providers where needed; false at the first failure. */
export function* expandOps(ops: readonly TemplateOp[], scope: Scope, expansion: Expansion): Evaluation<boolean> {
  for (const op of ops) {
    if (op.kind === 'lookup' ? !(yield* performLookup(op, scope, expansion)) : !applyOp(op, scope, expansion)) {
      return false;
    }
  }
  return true;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The evaluation error of a provider or routine that threw or rejected: it cannot answer (T11a). */
function unavailable(call: string, thrown: unknown): EvaluationFailure {
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return new EvaluationFailure('ProviderUnavailable', `${call}: the provider cannot answer: ${reason}`);
}

/**
 * Asks a provider or routine and settles its answer: a promise goes to the driver, a plain answer passes
 * straight through (M10). One that throws or rejects cannot answer, which ends the whole call with
 * ProviderUnavailable (T11a) instead of reading as "not found", which would fall through to later entries.
 */
function* ask<T>(call: string, question: () => MaybePromise<T>): Evaluation<T> {
  let answer: MaybePromise<T>;
  try {
    answer = question();
  } catch (thrown) {
    throw unavailable(call, thrown);
  }
  if (!isPromiseLike(answer)) return answer;
  try {
    return (yield answer) as T;
  } catch (thrown) {
    // The sync driver refuses the promise by throwing AsyncProviderInSyncCall here (M10): keep it.
    if (thrown instanceof EvaluationFailure) throw thrown;
    throw unavailable(call, thrown);
  }
}

function lookupContext(expansion: Expansion): LookupContext {
  return {
    table: expansion.table,
    entry: expansion.entry,
    input: expansion.input,
    inputFlags: expansion.services.inputFlags,
  };
}

/** Expands a bracketed argument in a scope that inherits the modes in force and keeps its own changes (T8, T4 item 4). */
function* expandArgument(ops: readonly TemplateOp[], scope: Scope, expansion: Expansion): Evaluation<string | null> {
  const argument: Scope = { text: '', caseMode: scope.caseMode, quoting: scope.quoting };
  return (yield* expandOps(ops, argument, expansion)) ? argument.text : null;
}

/**
 * Expands a routine result or database value as template text with the entry's captures (T10 item 2):
 * its flags and controls act at the call position, its own modes stay inside it, and its text is then
 * inserted as a lookup result. It counts as a nesting level (T9).
 */
function* expandReturnedText(
  text: string,
  scope: Scope,
  expansion: Expansion,
  quotable: boolean,
  what: string,
): Evaluation<boolean> {
  if (expansion.depth >= MAX_NESTING_DEPTH) {
    return fail(expansion, `${what}: nesting deeper than ${MAX_NESTING_DEPTH} levels`);
  }
  const program = expansion.services.returnedTextProgram(text);
  if (typeof program === 'string') return fail(expansion, `${what} returned an invalid template: ${program}`);
  const inner = newScope();
  expansion.depth += 1;
  const completed = program.hasLookup
    ? yield* expandOps(program.ops, inner, expansion)
    : expandPlain(program.ops, inner, expansion);
  expansion.depth -= 1;
  if (!completed) return false;
  expansion.flags.push(...program.flags);
  insert(scope, inner.text, quotable, expansion);
  return true;
}

/** Performs one lookup of T9–T11 at its position; false when it fails (T12). */
function* performLookup(op: Lookup, scope: Scope, expansion: Expansion): Evaluation<boolean> {
  const services = expansion.services;
  switch (op.lookup) {
    case 'mapping': {
      const argument = yield* expandArgument(op.argument, scope, expansion);
      if (argument === null) return false;
      const call = `$|${op.table};${argument}|`;
      if (expansion.depth >= MAX_NESTING_DEPTH) {
        return fail(expansion, `${call}: nesting deeper than ${MAX_NESTING_DEPTH} levels`);
      }
      const inner = yield* services.mapNested(op.table, argument, expansion.depth + 1);
      if (!inner.found) return fail(expansion, `${call}: table ${op.table} is not defined`);
      if (!inner.flags.includes('Y')) return fail(expansion, `${call}: result ${JSON.stringify(inner.output)} has no Y flag`);
      // T9: the inner output is inserted; the inner flags stay inside.
      note(expansion, `${call} = ${JSON.stringify(inner.output)}`);
      insert(scope, inner.output, true, expansion);
      return true;
    }
    case 'routine': {
      const argument = yield* expandArgument(op.argument, scope, expansion);
      if (argument === null) return false;
      const call = `$[${op.image},${op.routine},${argument}]`;
      const routine = resolveRoutine(services.routines, op.image, op.routine);
      if (!routine) return fail(expansion, `${call}: routine ${op.routine} is not registered`);
      const result = yield* ask(call, () => routine(argument, lookupContext(expansion)));
      if (typeof result !== 'string') return fail(expansion, `${call}: the routine failed`);
      note(expansion, `${call} returned ${JSON.stringify(result)}`);
      // T4 item 2 lists no quoting for routine results; the case mode applies (item 1).
      return yield* expandReturnedText(result, scope, expansion, false, call);
    }
    case 'database': {
      const key = yield* expandArgument(op.argument, scope, expansion);
      if (key === null) return false;
      const value = yield* ask(`\${${key}}`, () => services.database(key, lookupContext(expansion)));
      if (typeof value !== 'string') return fail(expansion, `\${${key}}: key is missing`);
      note(expansion, `\${${key}} = ${JSON.stringify(value)}`);
      return yield* expandReturnedText(value, scope, expansion, true, `\${${key}}`);
    }
    case 'url': {
      const url = yield* expandArgument(op.argument, scope, expansion);
      if (url === null) return false;
      const provider = services.url;
      if (!provider) return fail(expansion, `$]${url}[: no URL provider`);
      const value = yield* ask(`$]${url}[`, () => provider(url, lookupContext(expansion)));
      if (typeof value !== 'string' || value === '') return fail(expansion, `$]${url}[: nothing found`);
      note(expansion, `$]${url}[ = ${JSON.stringify(value)}`);
      insert(scope, value, true, expansion);
      return true;
    }
    case 'domain': {
      const argument = yield* expandArgument(op.argument, scope, expansion);
      if (argument === null) return false;
      const call = `$}${argument}{`;
      const provider = services.domain;
      if (!provider) return fail(expansion, `${call}: no domain provider`);
      const comma = argument.indexOf(',');
      const domain = comma < 0 ? '' : argument.slice(0, comma);
      const attribute = comma < 0 ? '' : argument.slice(comma + 1);
      if (domain === '' || attribute === '') return fail(expansion, `${call}: needs a domain and an attribute`);
      const value = yield* ask(call, () => provider(domain, attribute, lookupContext(expansion)));
      if (typeof value !== 'string') return fail(expansion, `${call}: nothing found`);
      note(expansion, `${call} = ${JSON.stringify(value)}`);
      insert(scope, value, true, expansion);
      return true;
    }
    case 'sequence': {
      const value = yield* ask(`$#${op.file}#`, () => services.sequence(op.file, lookupContext(expansion)));
      if (typeof value !== 'number') return fail(expansion, `$#${op.file}#: sequence file is missing`);
      const text = formatSequenceValue(value, op.radix, op.width, op.modulus);
      note(expansion, `$#${op.file}# = ${JSON.stringify(text)}`);
      insert(scope, text, true, expansion);
      return true;
    }
  }
}
