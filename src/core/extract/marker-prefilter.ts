/**
 * A cheap test to run before the comment scanner: most code files name no
 * marker tag and hold no suppression, and one case-insensitive regular
 * expression over the text says so (a 50k-file repository spends most of its marker
 * time on files without a single marker).
 *
 * Never a false "no". It matches what `parseTag` accepts: a tag label,
 * any run of white space between its words, then a colon. Tags with
 * non-ASCII letters always answer "maybe": their lower case can depend on
 * the letters around them (Greek final sigma), so the text's lower case and
 * the label's need not agree.
 */
import type { Config } from '../config/config.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

type Tags = Config['tags'];

const SUPPRESSION = 'waymark-ignore-next-line';
const patterns = new WeakMap<Tags, RegExp | undefined>();
const bytePatterns = new WeakMap<Tags, RegExp | undefined>();
/** U+212A KELVIN SIGN in UTF-8, one char per byte: the one non-ASCII character that lower-cases to an ASCII letter (`k`). */
const KELVIN_BYTES = '\u00e2\u0084\u00aa';

/** The suppression comment in any case (without `u`, `i` folds ASCII letters only). */
const SUPPRESSION_ANY_CASE = new RegExp(SUPPRESSION, 'i');
const KELVIN = '\u212a';

/**
 * `text`, or its lower case when that matters to a case-insensitive ASCII search: the
 * patterns here take `i` without `u`, which folds exactly the ASCII letters, as lower-casing
 * does but for the Kelvin sign. Lower-casing every document copied all of it (3.9 MB of
 * markdown on a 750-file repository, ~40 ms of a cold run) to find what one search finds.
 */
function searchable(text: string): string {
  return text.includes(KELVIN) ? text.toLowerCase() : text;
}

/** Whether `text` may hold a marker or a suppression; false only when it certainly holds neither. */
export function mayHoldMarkers(text: string, tags: Tags): boolean {
  const pattern = tagPattern(tags);
  if (!pattern) return true;
  const subject = searchable(text);
  return SUPPRESSION_ANY_CASE.test(subject) || pattern.test(subject);
}

/**
 * `mayHoldMarkers` over a file's raw bytes, one char per byte
 * (`buffer.toString('latin1')`), before any UTF-8 decoding: a code file
 * without a hit is done after one case-insensitive pass over its bytes, with
 * no decoding, lower-casing or line splitting. It answers "maybe" wherever
 * `mayHoldMarkers` would on the decoded text: any non-ASCII byte may stand
 * for white space between a tag's words, and a Kelvin sign (which lower-cases
 * to `k`) anywhere is a "maybe". Measured on the bench's medium repository:
 * see docs/benchmarks.md.
 */
export function bytesMayHoldMarkers(bytes: string, tags: Tags): boolean {
  const pattern = byteTagPattern(tags);
  if (!pattern) return true;
  return pattern.test(bytes) || bytes.includes(KELVIN_BYTES);
}

/** Whether `text` may hold a suppression comment. */
export function mayHoldSuppressions(text: string): boolean {
  return SUPPRESSION_ANY_CASE.test(searchable(text));
}

/** `label\s+words:` for every tag, or undefined when a tag is not plain ASCII. */
function tagPattern(tags: Tags): RegExp | undefined {
  if (patterns.has(tags)) return patterns.get(tags);
  const labels = [...tags.keys()];
  const ascii = labels.every((label) => /^[\x20-\x7e]*$/.test(label));
  const alternatives = labels.filter(Boolean).map((label) => label.split(' ').map(escapeRegExp).join('\\s+'));
  const pattern = ascii && alternatives.length ? new RegExp(`(?:${alternatives.join('|')}):`, 'i') : undefined;
  patterns.set(tags, pattern);
  return pattern;
}

/** `label(white space or non-ASCII byte)+words:` for every tag, or the suppression, ignoring ASCII case; undefined when a tag is not plain ASCII. */
function byteTagPattern(tags: Tags): RegExp | undefined {
  if (bytePatterns.has(tags)) return bytePatterns.get(tags);
  const labels = [...tags.keys()];
  const ascii = labels.every((label) => /^[\x20-\x7e]*$/.test(label));
  const alternatives = labels.filter(Boolean).map((label) => label.split(' ').map(escapeRegExp).join('(?:\\s|[\\x80-\\xff])+'));
  // Without `u`, `i` folds ASCII letters only: no byte char >= 0x80 is taken for an ASCII letter.
  const pattern = ascii && alternatives.length ? new RegExp(`(?:${alternatives.join('|')}):|${SUPPRESSION}`, 'i') : undefined;
  bytePatterns.set(tags, pattern);
  return pattern;
}
