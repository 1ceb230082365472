/**
 * Thrown by `CompiledPattern.match` when a back-match search runs over its step budget (P12); the
 * engine turns it into the evaluation error `MatchBudgetExceeded` (M7).
 */
export class MatchBudgetExceededError extends Error {
  readonly code = 'MatchBudgetExceeded';
  /** The budget that was exceeded, in steps (states visited plus characters scanned). */
  readonly budget: number;

  constructor(budget: number) {
    super(`pattern match gave up after ${budget} steps (back-match search over its budget, P12)`);
    this.name = 'MatchBudgetExceededError';
    this.budget = budget;
  }
}
