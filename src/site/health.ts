/**
 * How the site shows a process's health (`src/core/health/process-health.ts`):
 * one label, one tone and one callout kind per state, used by the callout, the
 * badges, the process list, the home page and the picture alike.
 */
import type { HealthState } from '../core/health/process-health.ts';

export { compareHealth, type HealthState, type ProcessHealth } from '../core/health/process-health.ts';

const LABELS: Record<HealthState, string> = {
  deprecated: 'deprecated',
  broken: 'broken',
  'needs-revalidation': 'needs revalidation',
  'never-validated': 'never validated',
  ok: 'ok',
};

/** Short label of a state, for badges and filters. */
export function healthLabel(state: HealthState): string {
  return LABELS[state];
}

/** Tone class suffix: danger states are `bad`, caution states `warn`. */
export function healthTone(state: HealthState): 'bad' | 'warn' | 'ok' {
  return state === 'deprecated' || state === 'broken' ? 'bad' : state === 'ok' ? 'ok' : 'warn';
}

/** The callout's heading: what the state means for someone about to follow the runbook. */
export function healthHeadline(state: HealthState): string {
  switch (state) {
    case 'deprecated':
      return 'Deprecated: do not follow this runbook';
    case 'broken':
      return 'Broken: some of what this runbook cites does not exist';
    case 'needs-revalidation':
      return 'Needs revalidation: the code changed after this runbook was checked';
    case 'never-validated':
      return 'Never validated: nobody has checked this runbook against the code';
    default:
      return 'OK: validated, and nothing it cites changed since';
  }
}
