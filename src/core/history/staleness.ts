/**
 * Which cited code changed after the document citing it was last validated:
 * the one computation behind the `stale-reference` rule and the site's
 * "changed since validation" lists. Pure: graph and history in, data out.
 */
import {
  commitDay,
  commitsTouching,
  commitTime,
  UNCOMMITTED,
  type CommitInfo,
  type RepositoryHistory,
} from './history.ts';
import { citedCode, relocations, type CitedCode, type Relocation } from './relocate.ts';
import type { ChangedCode, ChangedCommit, Document, Graph, ProcessStaleness } from '../schema.ts';

/** The moment code must not have changed after: a metadata date, or the commit that wrote the reference. */
export type Cutoff = { kind: 'validated' | 'updated'; day: string } | { kind: 'written'; commit: CommitInfo };

/** Where a cited range is today. */
interface Place {
  path: string;
  start: number;
  end: number;
}

/** A cited range whose code changed after its cutoff. */
export interface StaleCitation {
  cited: CitedCode;
  /** Where the lines are now (may differ from the reference's text). */
  place: Place;
  cutoff: Cutoff;
  /** The later commits, newest first. */
  commits: CommitInfo[];
  /** Whether `place` differs from what the reference says. */
  moved: boolean;
}

type GraphPart = Pick<Graph, 'documents' | 'references'>;

/**
 * Every document code reference whose lines changed after its cutoff: the
 * later of the document's `Last Validated` (else `Last Updated`) and the
 * commit that wrote the reference. Commits that changed the document too do not count: code and
 * document moved together.
 */
export function staleCitations(graph: GraphPart, history: RepositoryHistory, today: string | undefined): StaleCitation[] {
  const relocated = new Map(relocations(graph, history).map((relocation) => [relocation.cited.reference.id, relocation]));
  const found: StaleCitation[] = [];
  for (const cited of citedCode(graph)) {
    const relocation = relocated.get(cited.reference.id);
    const place = currentPlace(cited, relocation);
    if (!place) continue;
    const cutoff = cutoffFor(cited.document, relocation?.base);
    if (!cutoff) continue;
    const together = changedWithDocument(history, cited.document.path);
    const commits = (commitsTouching(history, place.path, place.start, place.end) ?? [])
      .filter((hash) => !together.has(hash))
      .map((hash) => history.commits[hash])
      .filter((commit): commit is CommitInfo => Boolean(commit) && isLater(commit, cutoff, history, today));
    if (commits.length === 0) continue;
    const written = cited.reference.lines!;
    const moved = place.path !== cited.paths[0] || place.start !== written.start || place.end !== written.end;
    found.push({ cited, place, cutoff, commits: newestFirst(commits), moved });
  }
  return found;
}

/** Newest first; ties by hash so the order never depends on the input's. */
export function newestFirst(commits: readonly CommitInfo[]): CommitInfo[] {
  return [...commits].sort((a, b) => commitTime(b) - commitTime(a) || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

/**
 * Per process: the code its document cites that changed after it was last
 * validated, grouped by the range as it stands now, with the commits.
 */
export function processStaleness(
  graph: Pick<Graph, 'documents' | 'references' | 'processes'>,
  history: RepositoryHistory,
  today: string | undefined,
): ProcessStaleness[] {
  const byDocument = new Map<string, StaleCitation[]>();
  for (const stale of staleCitations(graph, history, today)) {
    const list = byDocument.get(stale.cited.document.path) ?? [];
    list.push(stale);
    byDocument.set(stale.cited.document.path, list);
  }
  const documents = new Map(graph.documents.map((document) => [document.path, document]));
  return graph.processes.map((process) => {
    const changed = groupByPlace(byDocument.get(process.file) ?? []);
    const days = changed.flatMap((code) => code.commits.map((commit) => commit.date.slice(0, 10))).filter(Boolean).sort();
    const distinct = new Set(changed.flatMap((code) => code.commits.map((commit) => commit.hash)));
    return {
      id: process.id,
      since: sinceOf(documents.get(process.file)),
      changed,
      commitCount: distinct.size,
      ...(days.length ? { firstChange: days[0], lastChange: days[days.length - 1] } : {}),
    };
  });
}

/** What a process's changes are measured from. */
function sinceOf(document: Document | undefined): ProcessStaleness['since'] {
  if (document?.lastValidated) return { kind: 'validated', day: document.lastValidated };
  if (document?.lastUpdated) return { kind: 'updated', day: document.lastUpdated };
  return { kind: 'written' };
}

/** One entry per range as it stands now; references and commits merged, sorted by path then lines. */
function groupByPlace(stale: readonly StaleCitation[]): ChangedCode[] {
  type Group = { place: Place; references: CitedCode['reference'][]; commits: Map<string, CommitInfo> };
  const groups = new Map<string, Group>();
  for (const { place, cited, commits } of stale) {
    const key = `${place.path}\u0000${place.start}\u0000${place.end}`;
    const group: Group = groups.get(key) ?? { place, references: [], commits: new Map() };
    group.references.push(cited.reference);
    for (const commit of commits) group.commits.set(commit.hash, commit);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => (a.place.path < b.place.path ? -1 : a.place.path > b.place.path ? 1 : a.place.start - b.place.start || a.place.end - b.place.end))
    .map(({ place, references, commits }) => ({
      ...place,
      // In document order, as a reader meets them.
      references: references
        .sort((a, b) => a.source.line - b.source.line || a.source.column - b.source.column)
        .map((reference) => reference.id),
      commits: newestFirst([...commits.values()]).map(toChangedCommit),
    }));
}

function toChangedCommit(commit: CommitInfo): ChangedCommit {
  return commit.hash === UNCOMMITTED
    ? { hash: commit.hash, short: commit.short, date: '', subject: commit.subject, uncommitted: true }
    : { hash: commit.hash, short: commit.short, date: commit.date, subject: commit.subject };
}

/** Commits that changed the citing document too: the document is not behind them. */
function changedWithDocument(history: RepositoryHistory, document: string): Set<string> {
  const together = new Set(history.fileCommits[document] ?? []);
  if (history.dirty.includes(document)) together.add(UNCOMMITTED);
  return together;
}

/** The lines the reference means today: where history says they went, else as written. */
function currentPlace(cited: CitedCode, relocation: Relocation | undefined): Place | undefined {
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

/**
 * The later of the document's date (`Last Validated`, else `Last Updated`) and
 * the commit that wrote the reference: a reference added after the document
 * was validated was written against the code as it stood then, so changes
 * before it are not news to it.
 */
function cutoffFor(document: Document, base: CommitInfo | undefined): Cutoff | undefined {
  const day = document.lastValidated ?? document.lastUpdated;
  // An uncommitted reference line was written today, after any date the document carries.
  const writtenLater = base !== undefined && (base.hash === UNCOMMITTED || commitDay(base) > (day ?? ''));
  if (day && !writtenLater) return { kind: document.lastValidated ? 'validated' : 'updated', day };
  return base ? { kind: 'written', commit: base } : undefined;
}

/** Whether `commit` came after the cutoff. Uncommitted work is "today"; a shallow clone's boundary proves nothing. */
function isLater(commit: CommitInfo, cutoff: Cutoff, history: RepositoryHistory, today: string | undefined): boolean {
  if (history.shallow && commit.boundary) return false;
  if (cutoff.kind === 'written') return commitTime(commit) > commitTime(cutoff.commit);
  if (commit.hash === UNCOMMITTED) return today === undefined || today > cutoff.day;
  return commitDay(commit) > cutoff.day;
}
