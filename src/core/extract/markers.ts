/**
 * Read process-reference markers (`# Deployment Process: …` blocks) and
 * `waymark-ignore-next-line` suppressions out of one file's text
 * (CONVENTIONS §1, §5). Pure: the caller parses reference values and links
 * processes.
 */
import type { Config } from '../config/config.ts';
import type { Marker, MarkerField } from '../schema.ts';
import { extractComments, splitLines, type CommentLine } from './comments.ts';

/** A `waymark-ignore-next-line [rule …]` comment, aimed at the line it silences. */
export interface Suppression {
  /** 1-based line being suppressed: the next non-blank line after the comment. */
  line: number;
  /** Rule ids to silence, lower-case; empty means every rule. */
  rules: string[];
}

export interface ExtractedMarkers {
  markers: Marker[];
  suppressions: Suppression[];
  /**
   * Where each part of a field value stands, keyed `line:column` of the field:
   * continuation lines are joined with one space, and a reference on one of
   * them must still point at its own line (`scripts/release.sh` in the
   * comment-syntaxes fixture).
   */
  pieces: Map<string, ValuePiece[]>;
}

/** A run of a joined field value: from `offset` on, the text stands at `line`:`column`. */
export interface ValuePiece {
  offset: number;
  line: number;
  column: number;
}

/** Line and column of the character at `offset` of a field's joined value. */
export function positionInValue(field: Pick<MarkerField, 'line' | 'column'>, pieces: ValuePiece[] | undefined, offset: number) {
  const piece = pieces?.findLast((candidate) => candidate.offset <= offset);
  return piece ? { line: piece.line, column: piece.column + offset - piece.offset } : { line: field.line, column: field.column + offset };
}

type Tags = Config['tags'];
type TagInfo = Tags extends Map<string, infer V> ? V : never;

interface DraftField extends MarkerField {
  /** Column of the tag itself, which anchors the marker. */
  tagColumn: number;
  info: TagInfo;
  pieces: ValuePiece[];
}

interface Draft {
  fields: DraftField[];
  endLine: number;
}

const SUPPRESS = 'waymark-ignore-next-line';
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/;
/** A template placeholder such as `[Process Name]`: data nobody filled in. */
const PLACEHOLDER = /^\[[^\]]*\]$/;

/** Length of the longest tag label, which bounds where a tag's colon can be. */
function longestTag(tags: Tags): number {
  let max = 0;
  for (const key of tags.keys()) max = Math.max(max, key.length);
  return max;
}

/** `Tag: value` when the text starts with a known tag directly followed by a colon. */
function parseTag(comment: CommentLine, tags: Tags, maxLabel: number): DraftField | undefined {
  const { text } = comment;
  // Search only as far as a tag could reach, so a 100k-char line costs nothing.
  const colon = text.slice(0, maxLabel * 2 + 1).indexOf(':');
  if (colon <= 0 || /\s/.test(text[colon - 1])) return undefined;
  const label = text.slice(0, colon);
  const info = tags.get(label.replace(/\s+/g, ' ').toLowerCase());
  if (!info) return undefined;
  let start = colon + 1;
  while (start < text.length && /\s/.test(text[start])) start++;
  return {
    tag: info.canonical.toLowerCase(),
    label,
    value: text.slice(start).trim(),
    line: comment.line,
    column: comment.column + start,
    tagColumn: comment.column,
    info,
    pieces: [{ offset: 0, line: comment.line, column: comment.column + start }],
  };
}

function first(fields: DraftField[], role: TagInfo['role']): DraftField | undefined {
  return fields.find((f) => f.info.role === role);
}

/** The marker a finished block makes, or undefined when it holds no real value. */
function toMarker(path: string, draft: Draft, pieces: Map<string, ValuePiece[]>): Marker | undefined {
  const kept = draft.fields.filter((f) => f.value !== '' && !PLACEHOLDER.test(f.value));
  if (kept.length === 0) return undefined;
  for (const field of kept) if (field.pieces.length > 1) pieces.set(`${field.line}:${field.column}`, field.pieces);
  const anchor = kept[0];
  const marker: Marker = {
    id: `${path}:${anchor.line}`,
    file: path,
    line: anchor.line,
    column: anchor.tagColumn,
    endLine: draft.endLine,
    fields: kept.map(({ tag, label, value, line, column }) => ({ tag, label, value, line, column })),
    references: [],
  };
  const process = first(kept, 'process');
  if (process) {
    marker.process = process.value;
    marker.area = process.info.canonical;
  }
  const implemented = first(kept, 'implements');
  if (implemented) marker.implements = implemented.value;
  const environment = first(kept, 'environment');
  if (environment) marker.environment = environment.value;
  return marker;
}

/** Rule ids after the suppression keyword, up to the first word that is not one (`-- reason`). */
function suppressionRules(text: string): string[] | undefined {
  const lower = text.toLowerCase();
  const at = lower.indexOf(SUPPRESS);
  if (at < 0) return undefined;
  const before = lower[at - 1];
  const after = lower[at + SUPPRESS.length];
  if ((before !== undefined && /[a-z0-9_-]/.test(before)) || (after !== undefined && /[a-z0-9_-]/.test(after))) return undefined;
  const rules: string[] = [];
  for (const word of lower.slice(at + SUPPRESS.length).replace(/^:/, '').split(/[\s,]+/)) {
    if (word === '') continue;
    if (!RULE_ID.test(word)) break;
    rules.push(word);
  }
  return rules;
}

/** Like eslint-disable-next-line: literally the next line, so a blank line in between cancels it. */
function nextLine(lines: string[], line: number): number | undefined {
  return line < lines.length ? line + 1 : undefined;
}

/**
 * Markers and suppressions of one file.
 *
 * @example
 * extractMarkers('infra/lb.tf', '# Deployment Process: Blue/Green\n# Environment: production\nresource "x" "y" {}', tags)
 * // → markers: [{ id: 'infra/lb.tf:1', process: 'Blue/Green', area: 'Deployment Process', environment: 'production', … }]
 */
export function extractMarkers(path: string, text: string, tags: Tags): ExtractedMarkers {
  const comments = extractComments(path, text);
  const lines = splitLines(text);
  const maxLabel = longestTag(tags);
  const markers: Marker[] = [];
  const suppressions: Suppression[] = [];
  const pieces = new Map<string, ValuePiece[]>();
  let draft: Draft | undefined;
  let previous = 0;
  let suppressedFrom = { line: 0, target: undefined as number | undefined };

  const close = () => {
    const marker = draft && toMarker(path, draft, pieces);
    if (marker) markers.push(marker);
    draft = undefined;
  };

  for (const comment of comments) {
    const rules = suppressionRules(comment.text);
    if (rules) {
      // Several suppressions on one line share the search for their target.
      if (suppressedFrom.line !== comment.line) suppressedFrom = { line: comment.line, target: nextLine(lines, comment.line) };
      if (suppressedFrom.target !== undefined) suppressions.push({ line: suppressedFrom.target, rules });
    }

    // A code line or a gap between comments ends the block.
    if (comment.code || comment.line > previous + 1) close();
    previous = comment.line;
    if (comment.code) continue;
    if (comment.text === '') {
      close();
      continue;
    }

    const tag = parseTag(comment, tags, maxLabel);
    // An empty `Reference:` only opens a field inside a block (its value follows
    // on indented lines); alone it is prose such as `# Process:` above a list.
    if (tag && (tag.value !== '' || draft)) {
      draft ??= { fields: [], endLine: comment.line };
      draft.fields.push(tag);
      draft.endLine = comment.line;
      continue;
    }
    const last = draft?.fields.at(-1);
    // A suppression inside a block is an instruction to Waymark, not part of a value.
    if (draft && last && !rules) {
      const offset = last.value === '' ? 0 : last.value.length + 1;
      last.pieces.push({ offset, line: comment.line, column: comment.column });
      last.value = last.value === '' ? comment.text : `${last.value} ${comment.text}`;
      draft.endLine = comment.line;
    }
  }
  close();
  return { markers, suppressions, pieces };
}
