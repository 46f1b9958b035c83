/**
 * Which files a change can give other problems, for the resident engine's
 * incremental check (`runChecks` with a memo): the per-file rules judge a
 * file by what it holds and by what its references and markers point at, so
 * besides the changed files and those linked again, a change touches the
 * files that cite a changed file and the code whose markers implement a
 * changed process document (before the change and after it).
 */
import { referenceFile, type LinkedGraph } from './link-graph.ts';

/** The files to check again, or undefined when the change can reach any file (a README: references to its folder may point into it). */
export function touchedFiles(before: LinkedGraph | undefined, after: LinkedGraph, changed: readonly string[], relinked: readonly string[]): Set<string> | undefined {
  if (!before || changed.some((file) => /(^|\/)readme(\.[^/]*)?$/i.test(file))) return undefined;
  const touched = new Set([...changed, ...relinked]);
  for (const graph of [before, after]) {
    for (const file of changed) {
      for (const id of fileNode(graph, file)?.citedBy ?? []) touched.add(referenceFile(id));
      const process = graph.processes.find((candidate) => candidate.file === file);
      for (const marker of process?.implementedBy ?? []) touched.add(marker.slice(0, marker.lastIndexOf(':'))); // a marker's id is `path:line`
    }
  }
  return touched;
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
