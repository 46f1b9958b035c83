/**
 * Which files a change can give other problems, for the resident engine's
 * incremental check (`runChecks` with a memo): the per-file rules judge a
 * file by what it holds and by what its references and markers point at, so
 * besides the changed files and those linked again, a change touches the
 * files that cite a changed file, the code whose markers implement a
 * changed process document, and the documents that share a link target with
 * a changed document (a copy's broken links are judged by its original's:
 * `missing-file/copied`), before the change and after it.
 */
import { referenceFile, type LinkedGraph } from './link-graph.ts';

/** The files to check again, or undefined when the change can reach any file (a README: references to its folder may point into it). */
export function touchedFiles(before: LinkedGraph | undefined, after: LinkedGraph, changed: readonly string[], relinked: readonly string[]): Set<string> | undefined {
  if (!before || changed.some((file) => /(^|\/)readme(\.[^/]*)?$/i.test(file))) return undefined;
  const touched = new Set([...changed, ...relinked]);
  const changedFiles = new Set(changed);
  for (const graph of [before, after]) {
    for (const file of sharingLinkTargets(graph, changedFiles)) touched.add(file);
    for (const file of changed) {
      for (const id of fileNode(graph, file)?.citedBy ?? []) touched.add(referenceFile(id));
      const process = graph.processes.find((candidate) => candidate.file === file);
      for (const marker of process?.implementedBy ?? []) touched.add(marker.slice(0, marker.lastIndexOf(':'))); // a marker's id is `path:line`
    }
  }
  return touched;
}

/** The files whose links share a target with a link of `files`. */
function sharingLinkTargets(graph: LinkedGraph, files: ReadonlySet<string>): Set<string> {
  const targets = new Set<string>();
  for (const reference of graph.references) {
    if (reference.origin === 'link' && reference.path && files.has(reference.source.file)) targets.add(reference.path);
  }
  const sharing = new Set<string>();
  if (targets.size === 0) return sharing;
  for (const reference of graph.references) {
    if (reference.origin === 'link' && reference.path && targets.has(reference.path)) sharing.add(reference.source.file);
  }
  return sharing;
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
