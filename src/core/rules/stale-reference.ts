import {
  commitDay,
  commitsTouching,
  commitTime,
  describeCommit,
  UNCOMMITTED,
  type CommitInfo,
  type RepositoryHistory,
} from '../history.ts';
import { citedCode, relocate, type CitedCode, type Relocation } from '../relocate.ts';
import type { Document, Marker } from '../schema.ts';
import type { Finding, Rule, RuleContext } from './rule.ts';

/** How many commits a message names before it says "and N more". */
const NAMED_COMMITS = 3;

/** The moment code must not have changed after: a metadata date, or the commit that wrote the reference. */
type Cutoff = { kind: 'validated' | 'updated'; day: string } | { kind: 'written'; commit: CommitInfo };

/**
 * Both directions of drift: code a document cites changed after the document
 * was last validated; a process document changed after the code marked as
 * implementing it.
 */
export const staleReference: Rule = {
  id: 'stale-reference',
  defaultSeverity: 'warning',
  description: 'Code a document cites changed after the document was last validated, or a process changed after the code that implements it.',
  check(context) {
    const { history } = context;
    if (!history) return [];
    return [...staleCitations(context, history), ...staleMarkers(context, history)];
  },
};

function staleCitations(context: RuleContext, history: RepositoryHistory): Finding[] {
  const relocations = new Map(relocate(context.graph, history).map((relocation) => [relocation.cited.reference.id, relocation]));
  const found: Finding[] = [];
  for (const cited of citedCode(context.graph)) {
    const relocation = relocations.get(cited.reference.id);
    const place = currentPlace(cited, relocation);
    if (!place) continue;
    const cutoff = cutoffFor(cited.document, relocation?.base);
    if (!cutoff) continue;
    const changed = (commitsTouching(history, place.path, place.start, place.end) ?? [])
      .map((hash) => history.commits[hash])
      .filter((commit): commit is CommitInfo => Boolean(commit) && isLater(commit, cutoff, history, context.today));
    if (changed.length === 0) continue;
    const { reference } = cited;
    const moved = place.path !== cited.paths[0] || place.start !== reference.lines!.start || place.end !== reference.lines!.end;
    const where = moved ? ` (now \`${place.path}:${place.start}-${place.end}\`)` : '';
    found.push({
      ...reference.source,
      reference: reference.id,
      message: `\`${reference.raw}\`${where} changed after ${describeCutoff(cutoff)}: ${listCommits(changed)}`,
      suggestion:
        cutoff.kind === 'written'
          ? 'review the document against the code, then record the date in `Last Validated`'
          : 'review the document against the code, then update `Last Validated`',
    });
  }
  return found;
}

/** The lines the reference means today: where history says they went, else as written. */
function currentPlace(cited: CitedCode, relocation: Relocation | undefined): { path: string; start: number; end: number } | undefined {
  const written = cited.reference.lines;
  if (!written) return undefined;
  const lines = relocation?.lines;
  if (lines && lines.kind !== 'unchanged') {
    return lines.kind === 'deleted' ? undefined : { path: lines.path, start: lines.start, end: lines.end };
  }
  // A missing file with no known rename has no lines to check.
  if (cited.reference.status !== 'ok') return undefined;
  return { path: cited.paths[0], start: written.start, end: written.end };
}

function cutoffFor(document: Document, base: CommitInfo | undefined): Cutoff | undefined {
  if (document.lastValidated) return { kind: 'validated', day: document.lastValidated };
  if (document.lastUpdated) return { kind: 'updated', day: document.lastUpdated };
  return base ? { kind: 'written', commit: base } : undefined;
}

/** Whether `commit` came after the cutoff. Uncommitted work is "today"; a shallow clone's boundary proves nothing. */
function isLater(commit: CommitInfo, cutoff: Cutoff, history: RepositoryHistory, today: string | undefined): boolean {
  if (history.shallow && commit.boundary) return false;
  if (cutoff.kind === 'written') return commitTime(commit) > commitTime(cutoff.commit);
  if (commit.hash === UNCOMMITTED) return today === undefined || today > cutoff.day;
  return commitDay(commit) > cutoff.day;
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
  const sorted = [...commits].sort((a, b) => commitTime(b) - commitTime(a) || (a.hash < b.hash ? -1 : 1));
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
