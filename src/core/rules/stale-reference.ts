import {
  commitDay,
  commitsTouching,
  commitTime,
  describeCommit,
  UNCOMMITTED,
  type CommitInfo,
  type RepositoryHistory,
} from '../history/history.ts';
import type { Marker } from '../schema.ts';
import { newestFirst, staleCitations, type Cutoff } from '../history/staleness.ts';
import type { Finding, Rule, RuleContext } from './rule.ts';

/** How many commits a message names before it says "and N more". */
const NAMED_COMMITS = 3;

/**
 * Both directions of drift: code a document cites changed after the document
 * was last validated; a process document changed after the code marked as
 * implementing it.
 */
export const staleReference: Rule = {
  id: 'stale-reference',
  perFile: true,
  defaultSeverity: 'warning',
  description: 'Code a document cites changed after the document was last validated, or a process changed after the code that implements it.',
  check(context) {
    const { history } = context;
    if (!history) return [];
    return [...staleCitationFindings(context, history), ...staleMarkers(context, history)];
  },
};

function staleCitationFindings(context: RuleContext, history: RepositoryHistory): Finding[] {
  return staleCitations(context.graph, history, context.today).map(({ cited, place, cutoff, commits, moved }) => {
    const { reference } = cited;
    const range = place.start === place.end ? `${place.start}` : `${place.start}-${place.end}`;
    const where = moved ? ` (now \`${place.path}:${range}\`)` : '';
    return {
      ...reference.source,
      reference: reference.id,
      message: `\`${reference.raw}\`${where} changed after ${describeCutoff(cutoff)}: ${listCommits(commits)}`,
      suggestion:
        cutoff.kind === 'written'
          ? 'review the document against the code, then record the date in `Last Validated`'
          : 'review the document against the code, then update `Last Validated`',
    };
  });
}

function describeCutoff(cutoff: Cutoff): string {
  if (cutoff.kind !== 'written') {
    return cutoff.kind === 'validated'
      ? `this document was last validated (${cutoff.day})`
      : `this document was last updated (${cutoff.day}; it has no \`Last Validated\`)`;
  }
  return cutoff.commit.hash === UNCOMMITTED
    ? 'the reference was written'
    : `the reference was written in ${cutoff.commit.short} (${commitDay(cutoff.commit)})`;
}

/** Newest first, at most a few named. */
function listCommits(commits: CommitInfo[]): string {
  const sorted = newestFirst(commits);
  const named = sorted.slice(0, NAMED_COMMITS).map(describeCommit).join('; ');
  const more = sorted.length - NAMED_COMMITS;
  return more > 0 ? `${named}; and ${more} more` : named;
}

function staleMarkers(context: RuleContext, history: RepositoryHistory): Finding[] {
  const { graph, findings } = context;
  const processes = new Map(graph.processes.map((process) => [process.id, process]));
  const found: Finding[] = [];
  for (const [file, markers] of groupByFile(graph.markers)) {
    const fileHistory = history.files[file];
    if (!fileHistory) continue;
    markers.forEach((marker, index) => {
      const process = marker.processId ? processes.get(marker.processId) : undefined;
      if (!process) return;
      // A marker applies to the code below it, up to the next marker.
      const end = index + 1 < markers.length ? markers[index + 1].line - 1 : (findings.lineCounts.get(file) ?? marker.endLine);
      const code = lastCodeChange(history, file, marker.line, Math.max(end, marker.endLine));
      if (!code) return;
      const document = findings.documentsByPath.get(process.file);
      // The document's own date says its content is no newer than the code (or, when the code is older
      // than the document, than the document's first commit): later commits were housekeeping.
      const floor = code.day ?? firstCommitDay(history, process.file);
      if (document?.lastUpdated && floor !== undefined && document.lastUpdated <= floor) return;
      const changes = documentChangesAfter(history, process.file, code.time);
      if (changes.length === 0) return;
      found.push({
        file,
        line: marker.line,
        column: marker.column,
        message: `the process \`${process.name}\` (\`${process.file}\`) changed after this code was last changed (${code.text}): ${listCommits(changes)}`,
        suggestion: 'check that the code still does what the process describes, then update the code or revalidate the process',
      });
    });
  }
  return found;
}

function groupByFile(markers: Marker[]): Map<string, Marker[]> {
  const byFile = new Map<string, Marker[]>();
  for (const marker of markers) {
    const list = byFile.get(marker.file);
    if (list) list.push(marker);
    else byFile.set(marker.file, [marker]);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line);
  return byFile;
}

/**
 * When the marked lines last changed: the newest commit that touched them,
 * or, when none did since history was read, "before" that date. Undefined
 * when the code has uncommitted changes (it is newer than any document) or
 * only a shallow boundary speaks for it.
 */
function lastCodeChange(
  history: RepositoryHistory,
  file: string,
  start: number,
  end: number,
): { time: number; day?: string; text: string } | undefined {
  const hashes = commitsTouching(history, file, start, end) ?? [];
  const newest = hashes.map((hash) => history.commits[hash]).find(Boolean);
  if (newest) {
    if (newest.hash === UNCOMMITTED || (history.shallow && newest.boundary)) return undefined;
    return { time: commitTime(newest), day: commitDay(newest), text: describeCommit(newest) };
  }
  const since = history.files[file]?.since;
  if (!since) return undefined;
  return { time: Date.parse(since), text: `before ${since.slice(0, 10)}` };
}

/** Commits to the document after `time`, leaving out the one that created it (writing a process down is not changing it). */
function documentChangesAfter(history: RepositoryHistory, file: string, time: number): CommitInfo[] {
  const touching = history.fileCommits[file] ?? [];
  return touching
    .slice(0, -1)
    .map((hash) => history.commits[hash])
    .filter((commit): commit is CommitInfo => Boolean(commit) && commitTime(commit) > time);
}

function firstCommitDay(history: RepositoryHistory, file: string): string | undefined {
  const touching = history.fileCommits[file] ?? [];
  const first = touching.length ? history.commits[touching[touching.length - 1]] : undefined;
  return first ? commitDay(first) : undefined;
}
