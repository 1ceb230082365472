// What every matcher offers, in a module of its own: compilePattern chooses among the matchers, and
// each matcher implements this, so neither module needs the other for it.

/** A pattern ready to match probes (P1–P12). */
export interface CompiledPattern {
  readonly captureCount: number;
  /**
   * Whether `match` works on a folded copy of the input (ASCII letters lower-cased, P1) and folds
   * it itself unless given one: a caller trying many patterns on one input then folds it once and
   * passes it. The others compare case-blind in place and never copy the input.
   */
  readonly usesFoldedInput: boolean;
  /**
   * Captures (texts of saved items 0..captureCount-1, input case preserved) or null for no match.
   * `folded`, when given, is the input folded (see usesFoldedInput).
   */
  match(input: string, folded?: string): string[] | null;
}
