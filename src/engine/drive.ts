import { EvaluationFailure, type Evaluation } from './expand.js';

/**
 * Runs an evaluation without ever waiting (M10): the first promise a provider returns is refused by
 * throwing AsyncProviderInSyncCall into the evaluation, which ends the call with an error result.
 */
export function driveSync<T>(evaluation: Evaluation<T>): T {
  let step = evaluation.next();
  while (!step.done) {
    // Nobody will await the refused promise; a rejection of it must not surface as unhandled.
    Promise.resolve(step.value).then(undefined, () => undefined);
    step = evaluation.throw(
      new EvaluationFailure('AsyncProviderInSyncCall', 'a provider returned a promise during mapSync; use map instead'),
    );
  }
  return step.value;
}

/** Runs an evaluation, awaiting each promise a provider returns and resuming with its value (M10). */
export async function driveAsync<T>(evaluation: Evaluation<T>): Promise<T> {
  let step = evaluation.next();
  while (!step.done) {
    let value: unknown;
    let rejection: { reason: unknown } | null = null;
    try {
      value = await step.value;
    } catch (reason) {
      rejection = { reason };
    }
    step = rejection ? evaluation.throw(rejection.reason) : evaluation.next(value);
  }
  return step.value;
}
