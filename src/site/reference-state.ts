/**
 * The one verdict the site shows for a reference, wherever it shows one:
 * ok, stale (the cited code changed after the document was validated), moved
 * (the cited lines are elsewhere now) or broken (anything else wrong).
 */
import type { Reference } from '../core/schema.ts';
import { referenceState, type ReferenceState } from '../core/health/reference-state.ts';

// The verdict itself is the core's, so the health of a process counts what the badges show.
export { REFERENCE_STATES, referenceState, type ReferenceState } from '../core/health/reference-state.ts';

/** Tone class suffix of each state (see `tone-*` in the stylesheet). */
export function stateTone(state: ReferenceState): 'ok' | 'warn' | 'info' | 'bad' {
  return state === 'ok' ? 'ok' : state === 'stale' ? 'warn' : state === 'moved' ? 'info' : 'bad';
}

/** Plain-language explanation of a non-ok state, naming the rule. */
export function stateExplanation(reference: Pick<Reference, 'status' | 'problem'>): string | undefined {
  switch (referenceState(reference)) {
    case 'stale':
      return 'the cited code changed after this document was last validated (stale-reference)';
    case 'moved':
      return 'the cited lines moved or their file was renamed since the reference was written (moved-lines)';
    default:
      return undefined;
  }
}
