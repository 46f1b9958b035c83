/**
 * `waymark validate`: the one edit it makes to a process document, the value
 * of its `Last Validated` line (`2026-11-26 (commit 1a2b3c4)`). Everything
 * else in the file stays byte for byte, line endings and trailing spaces too.
 */
import type { MetadataEntry } from '../schema.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

export interface ValidationRecord {
  /** The day validated, YYYY-MM-DD. */
  date: string;
  /** The commit the process was checked against (abbreviated), when the repository has one. */
  commit?: string;
}

/** The value written: the date first, so every date reader (Waymark's, a person's) still reads it. */
export function validationValue(record: ValidationRecord): string {
  return record.commit ? `${record.date} (commit ${record.commit})` : record.date;
}


/** `<prefix up to the value><value><trailing blanks>` of a `Key: value` line in any of the written forms (`**Key**: v`, `**Key:** v`, `key: v`). */
function splitLine(line: string, label: string): { prefix: string; value: string; trailing: string } | undefined {
  const match = new RegExp(`^(.*?${escapeRegExp(label)}(?:\\*\\*|__)?[ \\t]*:(?:\\*\\*|__)?[ \\t]*)(.*?)([ \\t]*)$`, 'i').exec(line);
  return match ? { prefix: match[1], value: match[2], trailing: match[3] } : undefined;
}

/** `Last Validated` in the style of a sibling key: `last_updated` → `last_validated`, `lastUpdated` → `lastValidated`. */
function labelLike(sibling: string): string {
  if (sibling.includes('_')) return sibling === sibling.toLowerCase() ? 'last_validated' : 'Last_Validated';
  if (/^[a-z]+[A-Z]/.test(sibling)) return 'lastValidated';
  return sibling === sibling.toLowerCase() ? 'last validated' : 'Last Validated';
}

/**
 * The document with its `Last Validated` value set, or why it cannot be.
 * Without such a line, one is added right after `Last Updated` (else
 * `Status`), written like it.
 *
 * @example
 * recordValidation('# P\n**Last Validated**: not yet validated\n', [{ key: 'last validated', label: 'Last Validated', value: '…', line: 2 }], { date: '2026-11-26', commit: '1a2b3c4' })
 * // → { text: '# P\n**Last Validated**: 2026-11-26 (commit 1a2b3c4)\n', line: 2 }
 */
export function recordValidation(text: string, metadata: readonly MetadataEntry[], record: ValidationRecord): { text: string; line: number } | { problem: string } {
  const lines = text.split(/(?<=\n)/);
  const value = validationValue(record);
  const lineAt = (index: number) => {
    const raw = lines[index] ?? '';
    const eol = /\r?\n$/.exec(raw)?.[0] ?? '';
    return { body: raw.slice(0, raw.length - eol.length), eol };
  };
  const existing = metadata.find((entry) => entry.key === 'last validated');
  if (existing) {
    const { body, eol } = lineAt(existing.line - 1);
    const parts = splitLine(body, existing.label);
    if (!parts) return { problem: `line ${existing.line} holds \`${existing.label}\` in a form Waymark does not rewrite; set it to \`${value}\` by hand` };
    lines[existing.line - 1] = `${parts.prefix}${value}${parts.trailing}${eol}`;
    return { text: lines.join(''), line: existing.line };
  }
  const sibling = metadata.find((entry) => entry.key === 'last updated') ?? metadata.find((entry) => entry.key === 'status');
  const parts = sibling && splitLine(lineAt(sibling.line - 1).body, sibling.label);
  if (!sibling || !parts) return { problem: 'it has no `Last Validated`, `Last Updated` or `Status` line to write next to; add `**Last Validated**:` to its metadata' };
  const { eol } = lineAt(sibling.line - 1);
  const prefix = parts.prefix.replace(new RegExp(escapeRegExp(sibling.label), 'i'), labelLike(sibling.label));
  // After a last line without a line break, the break goes between the two lines, and the file still ends without one.
  if (!eol) lines[sibling.line - 1] += text.includes('\r\n') ? '\r\n' : '\n';
  lines.splice(sibling.line, 0, `${prefix}${value}${eol}`);
  return { text: lines.join(''), line: sibling.line + 1 };
}
