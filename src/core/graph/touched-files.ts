/**
 * Which files a change can give other problems, for the resident engine's
 * incremental check (`runChecks` with a memo): the per-file rules judge a
 * file by what it holds and by what its references and markers point at, so
 * besides the changed files and those linked again, a change touches the
 * files that cite a changed file or another file of its name, the code whose markers implement a
 * changed process document, and the documents that share enough link
 * targets with a changed document to be its copy or its original (a copy's
 * broken links are judged by its original's: `missing-file/copied`), before
 * the change and after it.
 */
import { isDeepStrictEqual } from 'node:util';
import type { RepositoryHistory } from '../history/history.ts';
import type { FileDiff } from '../history/line-map.ts';
import { spelledPaths } from '../history/missing-paths.ts';
import { referenceFile, type LinkedGraph } from './link-graph.ts';
import { compareText } from '../text/compare.ts';

/** The files to check again, or undefined when the change can reach any file (a README: references to its folder may point into it). */
export function touchedFiles(before: LinkedGraph | undefined, after: LinkedGraph, changed: readonly string[], relinked: readonly string[]): Set<string> | undefined {
  if (!before || changed.some((file) => /(^|\/)readme(\.[^/]*)?$/i.test(file))) return undefined;
  const touched = new Set([...changed, ...relinked]);
  const changedFiles = new Set(changed);
  for (const file of sharingLinkTargets(before, changedFiles)) touched.add(file);
  if (before !== after) {
    // The graph after has the links of the one before but for the changed files': its index is patched from that one's (a pass over every reference otherwise).
    patchLinkIndex(before, after, changedFiles);
    for (const file of sharingLinkTargets(after, changedFiles)) touched.add(file);
  }
  for (const graph of before === after ? [after] : [before, after]) {
    for (const file of changed) {
      for (const id of fileNode(graph, file)?.citedBy ?? []) touched.add(referenceFile(id));
      // A short name's lines are weighed against every file of that name (`line-out-of-range`): the citers of its namesakes.
      for (const namesake of namesakes(graph, file)) for (const id of fileNode(graph, namesake)?.citedBy ?? []) touched.add(referenceFile(id));
      const process = graph.processes.find((candidate) => candidate.file === file);
      for (const marker of process?.implementedBy ?? []) touched.add(marker.slice(0, marker.lastIndexOf(':'))); // a marker's id is `path:line`
    }
  }
  return touched;
}

/** The other files of `file`'s name (a pass over the paths, once per changed file). */
function namesakes(graph: LinkedGraph, file: string): string[] {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return graph.paths.filter((path) => path !== file && (path === name || path.endsWith(`/${name}`)));
}

/** A document is a copy of another only when at least this many of its distinct link targets are the other's (`missing-file/copied`). */
export const COPY_MIN_SHARED_LINKS = 3;

/**
 * The files that share at least {@link COPY_MIN_SHARED_LINKS} distinct link
 * targets with one of `files`: only those can be its copy or its original.
 * (One shared navigation link is common to every page; it makes no copy.)
 */
function sharingLinkTargets(graph: LinkedGraph, files: ReadonlySet<string>): Set<string> {
  const { byPath, byFile } = linkIndex(graph);
  const shared = new Map<string, number>();
  const sharing = new Set<string>();
  for (const owner of files) {
    for (const target of byFile.get(owner) ?? []) {
      for (const file of byPath.get(target)!) {
        if (files.has(file)) continue;
        // Each target once per file and owner: the index holds sets.
        const pair = `${file}\u0000${owner}`;
        const count = (shared.get(pair) ?? 0) + 1;
        shared.set(pair, count);
        if (count >= COPY_MIN_SHARED_LINKS) sharing.add(file);
      }
    }
  }
  return sharing;
}

/** Index a graph's links before its first change (the resident engine, while it opens): the first save would pay it otherwise. */
export function indexLinks(graph: LinkedGraph): void {
  linkIndex(graph);
}

/** A graph's links by target and by linking file (one pass per graph: an edit compares the graph before with the one after). */
const linkIndexes = new WeakMap<LinkedGraph, { byPath: Map<string, Set<string>>; byFile: Map<string, Set<string>> }>();
function linkIndex(graph: LinkedGraph): { byPath: Map<string, Set<string>>; byFile: Map<string, Set<string>> } {
  let index = linkIndexes.get(graph);
  if (index) return index;
  index = { byPath: new Map(), byFile: new Map() };
  for (const reference of graph.references) addLink(index, reference);
  linkIndexes.set(graph, index);
  return index;
}

type LinkIndex = { byPath: Map<string, Set<string>>; byFile: Map<string, Set<string>> };

function addLink(index: LinkIndex, reference: LinkedGraph['references'][number]): void {
  if (reference.origin !== 'link' || !reference.path) return;
  const file = reference.source.file;
  let files = index.byPath.get(reference.path);
  if (!files) index.byPath.set(reference.path, (files = new Set()));
  files.add(file);
  let paths = index.byFile.get(file);
  if (!paths) index.byFile.set(file, (paths = new Set()));
  paths.add(reference.path);
}

/**
 * Give `after` the link index of `before` with the links of `files` as they
 * are in `after`: a file's links (`reference.path` is the path as written)
 * change only with its facts. `before`'s index is taken over, not copied: the
 * resident engine is done with the graph before once it has the one after.
 */
function patchLinkIndex(before: LinkedGraph, after: LinkedGraph, files: ReadonlySet<string>): void {
  const index = linkIndexes.get(before);
  if (!index || linkIndexes.has(after)) return;
  linkIndexes.delete(before);
  for (const file of files) {
    for (const target of index.byFile.get(file) ?? []) {
      const linking = index.byPath.get(target)!;
      linking.delete(file);
      if (linking.size === 0) index.byPath.delete(target);
    }
    index.byFile.delete(file);
  }
  for (const reference of referencesOf(after.references, [...files].sort(compareText))) addLink(index, reference);
  linkIndexes.set(after, index);
}

/** The references of `files` (sorted) from a graph's references, which are in file order. */
function referencesOf(references: LinkedGraph['references'], files: readonly string[]): LinkedGraph['references'] {
  const found: LinkedGraph['references'] = [];
  for (const file of files) {
    let [low, high] = [0, references.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (references[middle].source.file < file) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < references.length && references[i].source.file === file; i++) found.push(references[i]);
  }
  return found;
}

/** The node of a file in the graph's sorted file list. */
function fileNode(graph: LinkedGraph, file: string): LinkedGraph['files'][number] | undefined {
  let [low, high] = [0, graph.files.length - 1];
  while (low <= high) {
    const middle = (low + high) >> 1;
    const path = graph.files[middle].path;
    if (path === file) return graph.files[middle];
    if (path < file) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/**
 * Which files a new history can give other problems, against the history
 * the last check used (the resident engine's refresh): the per-file rules
 * read a file's own history entries and those of the files its references
 * and markers point at, so a changed entry touches its file as a change to
 * that file would ({@link touchedFiles}); a change to the commits or the
 * ignored files touches every file with unresolved references (the missing-path
 * facts and the ignore evidence are about them), a change to one missing path's
 * facts the files whose missing references spell that path. `same` when it says what the last one said;
 * undefined when it can reach any file: HEAD moved, another clone depth, or
 * other diffs from the base commits.
 */
export function touchedByHistory(graph: LinkedGraph, before: RepositoryHistory | undefined, after: RepositoryHistory | undefined): Set<string> | 'same' | undefined {
  if (before === after) return 'same';
  if (!before || !after || before.head !== after.head || before.shallow !== after.shallow || !same(before.bases, after.bases)) return undefined;
  const changed = new Set<string>([...changedKeys(before.files, after.files), ...changedKeys(before.fileCommits, after.fileCommits)]);
  for (const file of changedKeys(byPath(before.worktree), byPath(after.worktree))) changed.add(file);
  const dirty = new Set(before.dirty);
  for (const file of after.dirty) if (!dirty.delete(file)) changed.add(file);
  for (const file of dirty) changed.add(file);
  for (const file of changedKeys(before.ignoredFiles ?? {}, after.ignoredFiles ?? {})) changed.add(file);
  // Nothing else a rule reads differs: the last check's findings stand as they are.
  if (changed.size === 0 && same(before.paths, after.paths) && same(before.commits, after.commits) && same(before.ignoredFiles, after.ignoredFiles)) return 'same';
  const touched = touchedFiles(graph, graph, [...changed].sort(), []);
  if (!touched) return undefined;
  // The missing-path facts are read per spelling of a missing reference (`missingPathVerdict`): while the commits and
  // the ignored files say the same, only the files with a reference spelled as a path whose facts changed are touched.
  const facts = same(before.commits, after.commits) && same(before.ignoredFiles, after.ignoredFiles) ? new Set(changedKeys(before.paths ?? {}, after.paths ?? {})) : undefined;
  for (const reference of graph.references) {
    if (reference.status === 'ok' || reference.status === 'id' || touched.has(reference.source.file)) continue;
    if (!facts || (reference.path !== undefined && facts.size > 0 && spelledPaths(reference.path, reference.source.file, reference.origin).some((spelling) => facts.has(spelling)))) touched.add(reference.source.file);
  }
  return touched;
}

/** Deep equality, which stops at shared objects (git's kept answers are the same objects from one refresh to the next). */
function same(a: unknown, b: unknown): boolean {
  return a === b || isDeepStrictEqual(a, b);
}

/** Keys whose values differ (or that only one side has). */
function changedKeys(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !same(before[key], after[key]));
}

/** Work-tree diffs by each path they name (both sides of a rename). */
function byPath(diffs: readonly FileDiff[]): Record<string, FileDiff[]> {
  const paths: Record<string, FileDiff[]> = {};
  for (const diff of diffs) for (const file of new Set([diff.oldPath, diff.newPath])) if (file !== undefined) (paths[file] ??= []).push(diff);
  return paths;
}
