/**
 * Where the code a document cites is now. A document's reference was written
 * against the code as it stood in the commit that last changed the
 * reference's line; the diffs from that commit to the work tree say whether
 * the lines stayed, moved, followed a rename, or were rewritten or deleted.
 * Shared by `stale-reference`, `moved-lines` and `waymark fix`. Pure.
 */
import path from 'node:path/posix';
import { missingPathVerdict, missingReferences, spelledPaths } from './missing-paths.ts';
import type { Replacement } from '../fix/fix.ts';
import { lineOrigin, UNCOMMITTED, type CommitInfo, type RepositoryHistory } from './history.ts';
import { lineCountBefore, mapPath, mapRange, type FileDiff, type LineMapping } from './line-map.ts';
import type { LinkedGraph } from '../graph/link-graph.ts';
import type { Document, Reference } from '../schema.ts';

/** Documents that describe the present; summaries, status updates and reports are dated records of the past. */
const LIVING_KINDS = new Set<Document['kind']>(['process', 'plan', 'plain']);

/** A document's code reference that history can speak about. */
export interface CitedCode {
  reference: Reference;
  document: Document;
  /** Paths the reference may have meant when written: its target, or for a missing file the paths its text spells. */
  paths: string[];
}

/** What history says about one cited reference. */
export interface Relocation {
  cited: CitedCode;
  /** The commit the reference was written against, or `UNCOMMITTED` when its line is not committed. */
  base: CommitInfo;
  /** The path the reference meant at `base`. */
  path: string;
  /** For line references: where the lines are now. */
  lines?: LineMapping;
  /** For path-only references to a missing file: where the file went. */
  file?: { kind: 'renamed'; path: string };
  /** The reference text rewritten to the new place, when it moved cleanly. */
  newText?: string;
}

/** Path references with lines (and references to missing files) made by living documents, not by markers. */
export function citedCode(graph: Pick<LinkedGraph, 'documents' | 'references'>): CitedCode[] {
  const documents = new Map(graph.documents.map((document) => [document.path, document]));
  const cited: CitedCode[] = [];
  for (const reference of graph.references) {
    if (reference.origin === 'marker' || reference.kind !== 'path' || !reference.path) continue;
    const document = documents.get(reference.source.file);
    if (!document || !LIVING_KINDS.has(document.kind)) continue;
    if (reference.status === 'ok' && reference.lines && reference.targets.length === 1) {
      cited.push({ reference, document, paths: [reference.targets[0]] });
    } else if (reference.status === 'missing') {
      cited.push({ reference, document, paths: spelledPaths(reference.path, document.path, reference.origin) });
    }
  }
  return cited;
}

/** The diffs that carry code from `base` to the work tree, or undefined when history lacks them. */
function stepsFrom(history: RepositoryHistory, base: string): FileDiff[][] | undefined {
  if (base === UNCOMMITTED) return [];
  if (base === history.head) return [history.worktree];
  const diff = history.bases[base];
  return diff ? [diff.files, history.worktree] : undefined;
}

const computed = new WeakMap<RepositoryHistory, WeakMap<object, Relocation[]>>();

/**
 * `relocate` once per graph and finished history: the rules and the site ask
 * for the same answer. Only for a history no one fills any more (reading
 * history calls `relocate` on one still being read).
 */
export function relocations(graph: RelocationGraph, history: RepositoryHistory): Relocation[] {
  let byGraph = computed.get(history);
  if (!byGraph) computed.set(history, (byGraph = new WeakMap()));
  let found = byGraph.get(graph);
  if (!found) byGraph.set(graph, (found = relocate(graph, history)));
  return found;
}

/** The graph parts relocation reads; `files` (line counts) lets it tell a range that was past the end when written. */
type RelocationGraph = Pick<LinkedGraph, 'documents' | 'references'> & Partial<Pick<LinkedGraph, 'files'>>;

/** Where every cited reference's code went since the reference was written. `cited`: the graph's `citedCode`, when the caller has it already. */
export function relocate(graph: RelocationGraph, history: RepositoryHistory, cited: readonly CitedCode[] = citedCode(graph)): Relocation[] {
  const relocations: Relocation[] = [];
  const lineCounts = lineCountsOf(graph.files ?? []);
  for (const item of cited) {
    const found = relocateOne(item, history, lineCounts);
    if (found) relocations.push(found);
  }
  return relocations;
}

/**
 * Line counts by path from the graph's file nodes, sorted by path: a binary
 * search, not a map of every file (the resident engine relocates the few
 * files an edit touches against all the nodes).
 */
function lineCountsOf(files: readonly { path: string; lineCount: number }[]): { get(path: string): number | undefined } {
  return {
    get(path) {
      let [low, high] = [0, files.length];
      while (low < high) {
        const middle = (low + high) >> 1;
        if (files[middle].path < path) low = middle + 1;
        else high = middle;
      }
      return files[low]?.path === path ? files[low].lineCount : undefined;
    },
  };
}

function relocateOne(cited: CitedCode, history: RepositoryHistory, lineCounts: { get(path: string): number | undefined }): Relocation | undefined {
  const { reference, document } = cited;
  const hash = lineOrigin(history, document.path, reference.source.line);
  const base = hash ? history.commits[hash] : undefined;
  if (!hash || !base) return undefined;
  const steps = stepsFrom(history, hash);
  if (!steps) return undefined;
  // The document's line came in with a merge whose parents disagree on the cited file: which version it was written against is unknown.
  if (cited.paths.some((file) => history.bases[hash]?.untraceable?.includes(file))) return undefined;
  if (reference.status === 'ok') {
    const target = cited.paths[0];
    // Already past the end when written: `line-out-of-range` says so; nothing moved.
    const now = lineCounts.get(target);
    const then = now ? lineCountBefore(target, now, steps) : undefined;
    if (then !== undefined && Math.max(reference.lines!.start, reference.lines!.end) > then) return undefined;
    const lines = mapRange(target, reference.lines!.start, reference.lines!.end, steps);
    return withText({ cited, base, path: target, lines });
  }
  // A missing file: only a rename since the reference was written is news.
  for (const candidate of cited.paths) {
    const moved = mapPath(candidate, steps);
    if (moved.kind !== 'renamed') continue;
    const lines = reference.lines ? mapRange(candidate, reference.lines.start, reference.lines.end, steps) : undefined;
    return withText({ cited, base, path: candidate, lines, file: reference.lines ? undefined : moved });
  }
  return undefined;
}

function withText(relocation: Relocation): Relocation {
  const { lines, file, cited } = relocation;
  let newText: string | undefined;
  if (lines && framesSameBlock(lines)) {
    newText = rewriteReference(cited.reference, cited.document.path, relocation.path, lines.path, lines);
  } else if (file) {
    newText = rewriteReference(cited.reference, cited.document.path, relocation.path, file.path);
  }
  return { ...relocation, newText: newText === cited.reference.raw ? undefined : newText };
}

/** Lines that moved cleanly, or were edited inside while their first and last lines survived: the new range is exact. */
function framesSameBlock(lines: LineMapping): lines is Extract<LineMapping, { kind: 'moved' | 'renamed' | 'rewritten' }> {
  return lines.kind === 'moved' || lines.kind === 'renamed' || (lines.kind === 'rewritten' && lines.exact);
}

/**
 * The reference's text with a new path and/or line numbers, keeping how it
 * was written (`:12-48`, `#L12-L48`, `(lines 12-48)`, relative paths).
 * Undefined when the text cannot be rewritten safely.
 */
export function rewriteReference(
  reference: Pick<Reference, 'raw' | 'path'>,
  documentPath: string,
  oldPath: string,
  newPath: string,
  lines?: { start: number; end: number },
): string | undefined {
  const written = reference.path;
  if (!written) return undefined;
  const at = reference.raw.indexOf(written);
  if (at < 0) return undefined;
  const before = reference.raw.slice(0, at);
  let after = reference.raw.slice(at + written.length);
  if (lines) {
    let seen = 0;
    after = after.replace(/\d+/g, (digits) => {
      seen++;
      if (seen === 1) return String(lines.start);
      if (seen === 2) return String(lines.end);
      return digits;
    });
    // A single-line reference stays single only while the range is one line.
    if (seen === 0 || (seen === 1 && lines.start !== lines.end)) return undefined;
  }
  const spelled = newPath === oldPath ? written : respell(written, documentPath, newPath);
  return `${before}${spelled}${after}`;
}

/** Write `newPath` the way `written` was written: relative to the document when it was, else from the root. */
function respell(written: string, documentPath: string, newPath: string): string {
  if (written.startsWith('./') || written.startsWith('../')) {
    const relative = path.relative(path.dirname(documentPath), newPath);
    return relative.startsWith('../') || !written.startsWith('./') ? relative : `./${relative}`;
  }
  return newPath;
}

/**
 * `waymark fix`'s edits: per document, the references that moved cleanly,
 * then the path-only references to a file git renamed (`renames`, see
 * {@link renameFixes}) that no relocation already rewrites.
 */
export function planFixes(relocations: Relocation[], renames: RenameFix[] = []): Map<string, Replacement[]> {
  const plan = new Map<string, Replacement[]>();
  const planned = new Set<string>();
  const add = (reference: Reference, newText: string) => {
    if (planned.has(reference.id)) return;
    planned.add(reference.id);
    const edits = plan.get(reference.source.file) ?? [];
    edits.push({ line: reference.source.line, column: reference.source.column, oldText: reference.raw, newText });
    plan.set(reference.source.file, edits);
  };
  for (const relocation of relocations) if (relocation.newText !== undefined) add(relocation.cited.reference, relocation.newText);
  for (const rename of renames) add(rename.reference, rename.newText);
  return plan;
}

/** A missing path-only reference whose file git renamed, rewritten to the file's current path. */
export interface RenameFix {
  reference: Reference;
  /** Where the file is now. */
  to: string;
  newText: string;
}

/**
 * Missing references without line numbers whose file was renamed on the
 * first-parent history to a path that exists now: the rewrite is exact (the
 * same file, by git's rename detection), wherever and whenever the reference
 * was written. References with lines are left to {@link relocate}, which
 * carries lines only through diffs it can trace.
 */
export function renameFixes(graph: Pick<LinkedGraph, 'references' | 'paths'>, history: RepositoryHistory): RenameFix[] {
  const existing = new Set(graph.paths);
  const fixes: RenameFix[] = [];
  for (const reference of missingReferences(graph.references)) {
    if (reference.lines || reference.kind !== 'path') continue;
    const verdict = missingPathVerdict(reference, history, graph.paths);
    const fate = verdict?.facts.fate;
    if (!verdict || verdict.ignored || fate?.kind !== 'renamed' || !existing.has(fate.to)) continue;
    const newText = rewriteReference(reference, reference.source.file, verdict.path, fate.to);
    if (newText !== undefined && newText !== reference.raw) fixes.push({ reference, to: fate.to, newText });
  }
  return fixes;
}
