/**
 * "Did you mean": the one way Waymark suggests a name close to one that
 * matched nothing (a file, a heading, a rule id, a config key, a link query).
 */
import { compareText as compare } from './compare.ts';
import { editDistanceWithin } from './edit-distance.ts';

/** More than three suggestions is a list to read, not a hint. */
const SUGGESTIONS = 3;

/**
 * The edit distance still counted as a typo of a name this long: one edit in
 * a short name, two in a word, three in a phrase (`orphan-proces` is one
 * from `orphan-process`; `strict` is not a typo of `site`).
 */
export function typoDistance(wanted: string): number {
  return wanted.length <= 4 ? 1 : wanted.length <= 10 ? 2 : 3;
}

/**
 * Up to three `options` close to `wanted`: within the typo distance, or
 * containing it whole; nearest first, then in string order.
 *
 * @example
 * nearestNames('orphan-proces', ['orphan-process', 'unknown-process']) // → ['orphan-process']
 */
export function nearestNames(wanted: string, options: readonly string[]): string[] {
  const max = typoDistance(wanted);
  return options
    .map((option) => ({ option, distance: editDistanceWithin(wanted, option, max) }))
    .filter((o) => o.distance <= max || o.option.includes(wanted))
    .sort((a, b) => a.distance - b.distance || compare(a.option, b.option))
    .slice(0, SUGGESTIONS)
    .map((o) => o.option);
}

/**
 * "did you mean `a`, `b` or `c`?", or undefined when there is nothing to suggest.
 *
 * @example
 * didYouMean(['infra/lb.tf']) // → 'did you mean `infra/lb.tf`?'
 */
export function didYouMean(candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const quoted = candidates.map((candidate) => `\`${candidate}\``);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return `did you mean ${list}?`;
}
