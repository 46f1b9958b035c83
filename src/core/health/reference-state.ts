/**
 * The one verdict for a reference, wherever it is shown or counted: ok, stale
 * (the cited code changed after the document was validated), moved (the cited
 * lines are elsewhere now) or broken (anything else wrong).
 */
import type { Reference } from '../schema.ts';

export type ReferenceState = 'ok' | 'stale' | 'moved' | 'broken';

export const REFERENCE_STATES: readonly ReferenceState[] = ['ok', 'stale', 'moved', 'broken'];

/** The state of a resolved reference, from its status and the first rule that flagged it. */
export function referenceState(reference: Pick<Reference, 'status' | 'problem'>): ReferenceState {
  if (reference.status === 'missing' || reference.status === 'ambiguous') return 'broken';
  if (reference.problem === 'stale-reference') return 'stale';
  if (reference.problem === 'moved-lines') return 'moved';
  return reference.problem ? 'broken' : 'ok';
}
