// The target-order diagnosis for what the screen shows, memoized so it is computed once per frame or key press.
import { diagnoseSnapshot } from '../analyze/diagnose-snapshot.js';
import type { Diagnosis } from '../analyze/diagnosis.js';
import type { Snapshot } from '../analyze/snapshot-types.js';
import type { AllocFailure } from '../analyze/enrich-failure.js';
import { selectDisplayed, selectShownFailures, targetOrderOf, type FragtopState } from './create-store.js';

/** Advice of the most recent failure whose allocation site is known, for the banner. */
export function culpritAdviceOf(failures: readonly AllocFailure[]): string | undefined {
  for (let i = failures.length - 1; i >= 0; i--) {
    const culprit = failures[i]?.culprit;
    if (culprit && culprit.id !== 'unknown') return `${culprit.title}: ${culprit.advice}`;
  }
  return undefined;
}

let last: {
  snapshot: Snapshot | null;
  order: number;
  failures: readonly AllocFailure[];
  result: Diagnosis | null;
} | null = null;

/** Selector: returns the same object until the displayed snapshot, the target order or the failures change. */
export function selectDiagnosis(state: FragtopState): Diagnosis | null {
  const order = targetOrderOf(state);
  const failures = selectShownFailures(state);
  const displayed = selectDisplayed(state);
  if (last && last.snapshot === displayed && last.order === order && last.failures === failures)
    return last.result;
  const result = displayed ? diagnoseSnapshot(displayed, order, culpritAdviceOf(failures)) : null;
  last = { snapshot: displayed, order, failures, result };
  return result;
}
