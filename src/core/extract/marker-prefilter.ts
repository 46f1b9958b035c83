/**
 * A cheap test to run before the comment scanner: most code files name no
 * marker tag and hold no suppression, and one regular expression over the
 * lower-cased text says so (a 50k-file repository spends most of its marker
 * time on files without a single marker).
 *
 * Never a false "no". It matches what `parseTag` accepts: a tag label,
 * any run of white space between its words, then a colon. Tags with
 * non-ASCII letters always answer "maybe": their lower case can depend on
 * the letters around them (Greek final sigma), so the text's lower case and
 * the label's need not agree.
 */
import type { Config } from '../config/config.ts';

type Tags = Config['tags'];

const SUPPRESSION = 'waymark-ignore-next-line';
const patterns = new WeakMap<Tags, RegExp | undefined>();

/** Whether `text` may hold a marker or a suppression; false only when it certainly holds neither. */
export function mayHoldMarkers(text: string, tags: Tags): boolean {
  const pattern = tagPattern(tags);
  if (!pattern) return true;
  const lower = text.toLowerCase();
  return lower.includes(SUPPRESSION) || pattern.test(lower);
}

/** Whether `text` may hold a suppression comment. */
export function mayHoldSuppressions(text: string): boolean {
  return text.toLowerCase().includes(SUPPRESSION);
}

/** `label\s+words:` for every tag, or undefined when a tag is not plain ASCII. */
function tagPattern(tags: Tags): RegExp | undefined {
  if (patterns.has(tags)) return patterns.get(tags);
  const labels = [...tags.keys()];
  const ascii = labels.every((label) => /^[\x20-\x7e]*$/.test(label));
  const alternatives = labels.filter(Boolean).map((label) => label.split(' ').map(escapeRegExp).join('\\s+'));
  const pattern = ascii && alternatives.length ? new RegExp(`(?:${alternatives.join('|')}):`) : undefined;
  patterns.set(tags, pattern);
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
