/** Codes of the evaluation errors that end a whole top-level call (format.md M1, M7, M10, M12). */
export type EvaluationErrorCode =
  | 'UnknownTable'
  | 'StepLimitExceeded'
  | 'MatchBudgetExceeded'
  | 'OutputLimitExceeded'
  | 'AsyncProviderInSyncCall'
  | 'ProviderUnavailable';

/** An evaluation error carried in a result; the call's output is then its input and flags are empty. */
export interface EvaluationError {
  code: EvaluationErrorCode;
  message: string;
}

/** Where an entry stands: table, 1-based index in the table, and its file position. */
export interface EntryRef {
  table: string;
  index: number;
  file: string;
  line: number;
}

/** What happened at one step (M1): an entry matched and was applied or failed, or the loop limit hit. */
export type StepOutcome = 'applied' | 'failed-continue' | 'failed-end' | 'loop-limit';

/** One record of a mapping call's trace (M1); `explain` adds the detail fields. */
export interface TraceStep {
  entry: EntryRef;
  /** Nesting depth: 0 for the top-level call, 1 inside its first `$|…|`, … */
  depth: number;
  before: string;
  after: string;
  control: 'C' | 'E' | 'L' | 'R';
  outcome: StepOutcome;
  /** Why the expansion failed (for failed outcomes), e.g. "input flag A is not set". */
  reason?: string;
  /** With `explain`: the pattern and template as written, and the captures. */
  pattern?: string;
  template?: string;
  captures?: string[];
  /** With `explain`: each substitution or lookup made, in order, as readable text. */
  substitutions?: string[];
  /** With `explain`: entries passed over before this one matched, with why. */
  skipped?: Array<{ entry: EntryRef; reason: string }>;
}

/** The result of mapping one input through one table (format.md M1). */
export interface MappingResult {
  table: string;
  input: string;
  /** Input flags as given, normalised: upper-cased letters, ascending, no repeats. */
  inputFlags: string;
  matched: boolean;
  output: string;
  /** Output flags as one-character strings in ascending code order, letters upper-cased (T7, M8). */
  flags: string[];
  /** The entry whose step produced the output (the last applied entry), when one did. */
  entry?: EntryRef;
  trace: TraceStep[];
  error?: EvaluationError;
}

/** Per-call options of `map` / `mapSync`. */
export interface MapOptions {
  /** Input flags tested by `$:x` / `$;x` (T6); letters are case-insensitive. */
  flags?: string;
  /** Record, for each entry tried, why it was skipped or taken, captures and substitutions. */
  explain?: boolean;
}
