import * as z from 'zod';
import type { EntryRef } from './types.js';

/** A value a provider may hand back directly or through a promise (M10). */
export type MaybePromise<T> = T | PromiseLike<T>;

/** What a routine or provider learns about the step that calls it (T10 item 1). */
export interface LookupContext {
  /** Upper-cased name of the table being mapped. */
  table: string;
  entry: EntryRef;
  /** The string the calling step started from. */
  input: string;
  /** The call's input flags, normalised (upper-cased, ascending). */
  inputFlags: string;
}

/** A site routine `$[image,routine,argument]` (T10): a string succeeds and is expanded again; null/false fails. */
export type Routine = (argument: string, context: LookupContext) => MaybePromise<string | null | false | undefined>;

/** `${key}` (T11): the stored value, itself template text, or null when the key is missing. */
export type DatabaseProvider = (key: string, context: LookupContext) => MaybePromise<string | null | undefined>;

/** `$]url[` (T11): the text found, inserted as is; null or the empty string fails. */
export type UrlProvider = (url: string, context: LookupContext) => MaybePromise<string | null | undefined>;

/** `$}domain,attribute{` (T11): the attribute's first value, or null when missing. */
export type DomainProvider = (
  domain: string,
  attribute: string,
  context: LookupContext,
) => MaybePromise<string | null | undefined>;

/** `$#file…#` (T11): increments the counter of `file` and returns the new value; null when the file is missing. */
export type SequenceProvider = (file: string, context: LookupContext) => MaybePromise<number | null | undefined>;

/** Options of `compile` (validated with zod at the boundary). */
export interface CompileOptions {
  /**
   * Site routines (T10), keyed by routine name alone (`"check"`) or by image and routine joined with a
   * comma (`"/opt/lib/site.so,check"`); neither part can contain a comma, and an exact pair wins.
   */
  routines?: Record<string, Routine>;
  providers?: {
    /** Default: an empty in-memory general database (every key missing). */
    database?: DatabaseProvider;
    /** No default: `$]…[` fails without one. */
    url?: UrlProvider;
    /** No default: `$}…{` fails without one. */
    domain?: DomainProvider;
    /** Default: none, every `$#…#` fails (M13); `fileSequence()` gives counter files on disk. */
    sequence?: SequenceProvider;
  };
  /** Source of `$?x?` draws, uniform in [0, 1) (T6, M11). Default: Math.random. */
  random?: () => number;
  /** Step budget of one back-match search (P12). Default: the matcher's own. */
  backmatchBudget?: number;
  /** Template expansions allowed per top-level call, nested calls included (M7). Default 10,000. */
  stepLimit?: number;
  /** Longest string one call may build, in UTF-16 units (M12). Default 65,536. */
  outputLimit?: number;
  /**
   * Map by trying every entry in order (M2 to the letter) instead of through each table's index.
   * Results are identical either way; this is the reference for tests and benchmarks. Default false.
   */
  linearScan?: boolean;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
const functionSchema = <T>(what: string) => z.custom<T>(isFunction, { message: `${what} must be a function` });

const compileOptionsSchema = z
  .object({
    routines: z.record(z.string().min(1), functionSchema<Routine>('a routine')).optional(),
    providers: z
      .object({
        database: functionSchema<DatabaseProvider>('the database provider').optional(),
        url: functionSchema<UrlProvider>('the URL provider').optional(),
        domain: functionSchema<DomainProvider>('the domain provider').optional(),
        sequence: functionSchema<SequenceProvider>('the sequence provider').optional(),
      })
      .strict()
      .optional(),
    random: functionSchema<() => number>('random').optional(),
    backmatchBudget: z.number().int().positive().optional(),
    stepLimit: z.number().int().positive().optional(),
    outputLimit: z.number().int().positive().optional(),
    linearScan: z.boolean().optional(),
  })
  .strict();

/** Thrown by `compile` when its options are malformed: a programming error, reported with every problem. */
export class InvalidCompileOptionsError extends Error {
  override name = 'InvalidCompileOptionsError';
}

/** Validates `compile` options, throwing InvalidCompileOptionsError with a readable list of problems. */
export function validateCompileOptions(options: unknown): CompileOptions {
  const result = compileOptionsSchema.safeParse(options ?? {});
  if (!result.success) throw new InvalidCompileOptionsError(z.prettifyError(result.error));
  return result.data as CompileOptions;
}
