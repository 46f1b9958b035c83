/**
 * Every file's facts for one scan: from the cache when git's index vouches
 * for the file's blob id or its stamp is unchanged (not even read), from
 * the cache when its text's blob id is unchanged (read, not parsed), else
 * read and extracted — on worker threads when there is a lot to extract, in
 * this thread otherwise.
 */
import path from 'node:path';
import type { Config } from '../core/config/config.ts';
import { isMarkdownPath, type FileFacts } from '../core/extract/extract.ts';
import type { SkippedFile } from '../core/rules/rule.ts';
import { extractInWorkers, workerCount, type Job } from './extract-pool.ts';
import { sameStamp, type FactCache } from './fact-cache.ts';
import { extractRecord, extractSetup, factsOf, unreadRecord, type ExtractSetup, type FileRecord } from './file-record.ts';
import { BINARY_CONTENT, statStamp, type RealDirs } from './read-files.ts';

/** How far a scan has got: files done of all, and documents parsed on the way. */
export interface ScanProgress {
  files: number;
  totalFiles: number;
  documents: number;
}

export interface CollectOptions {
  /** Records of the previous scan; none means every file is read. */
  cache?: FactCache;
  /**
   * Tracked files git's stat data says are unchanged, with their blob ids
   * (`worktree.ts`): a cached record with that id is taken without a stat.
   */
  indexIds?: Map<string, string>;
  /**
   * Files listed but not extracted (binary by name): their records hold only
   * a blob id, for git's work-tree comparison (`unreadRecord`).
   */
  unread?: string[];
  /** Worker threads besides this one: `auto` (default) uses them when there is a lot to extract; 0 never. */
  workers?: number | 'auto';
  onProgress?: (progress: ScanProgress) => void;
}

export interface CollectedFacts {
  /** Facts of the files that could be read, in input order. */
  facts: FileFacts[];
  skipped: SkippedFile[];
  /** Every file's record, in input order, then the unread files' records, for the next cache. */
  records: [string, FileRecord][];
  /** Files read this time (the rest came from the cache unread). */
  read: number;
  /** Milliseconds spent checking cached records against the files' stamps (`--timing`). */
  stampMs: number;
  /** Threads that extracted, this one included. */
  threads: number;
  /**
   * Blob ids of the files read this run, from the bytes read (not from the cache): git's work-tree comparison
   * takes them instead of reading and hashing the same files again (`worktree.ts`, a copied checkout).
   */
  readIds: Map<string, string>;
}

/** Above either count, extraction is worth the start-up of worker threads (~0.1 s of CPU each bundled, ~0.5 s through tsx). */
const WORKER_MIN_FILES = 5000;
const WORKER_MIN_DOCUMENTS = 1500;
const PROGRESS_EVERY = 500;
/** The longest in-thread extraction runs without letting I/O callbacks (git's output) in. */
const YIELD_MS = 25;

type Outcome = { record: FileRecord; facts?: FileFacts };

/** The facts of every file, from the cache where its stamp is unchanged, else extracted (in worker threads when there are many). */
export async function collectFacts(
  realRoot: string,
  files: string[],
  config: Pick<Config, 'tags' | 'maxFileSize'>,
  options: CollectOptions = {},
): Promise<CollectedFacts> {
  const setup = extractSetup(realRoot, config);
  const outcomes: Outcome[] = new Array(files.length);
  const jobs: Job[] = [];
  const jobIndex: number[] = [];
  const stampStart = performance.now();
  files.forEach((file, index) => {
    const hit = cacheHit(realRoot, file, options.cache, options.indexIds?.get(file));
    if (hit) outcomes[index] = hit;
    else {
      jobs.push({ file, knownDigest: options.cache?.get(file)?.digest });
      jobIndex.push(index);
    }
  });

  const stampMs = performance.now() - stampStart;
  const progress = { files: files.length - jobs.length, totalFiles: files.length, documents: 0 };
  options.onProgress?.({ ...progress });
  const report = (done: Job[]) => {
    progress.files += done.length;
    progress.documents += done.filter((job) => isMarkdownPath(job.file)).length;
    options.onProgress?.({ ...progress });
  };
  const { records: extracted, threads } = await extractJobs(jobs, setup, config.tags, options.workers ?? 'auto', report);

  const realDirs: RealDirs = new Map();
  const readIds = new Map<string, string>();
  jobs.forEach((job, i) => {
    const outcome = settle(job, extracted[i], options.cache, () => extractRecord(job.file, setup, config.tags, realDirs));
    outcomes[jobIndex[i]] = outcome;
    if (outcome.record.digest !== undefined) readIds.set(job.file, outcome.record.digest);
  });
  const assembled = assemble(files, outcomes, jobs.length);
  if (options.cache) assembled.records.push(...unreadRecords(assembled.records, options.unread ?? [], setup, options.cache, options.indexIds, readIds));
  return { ...assembled, stampMs, threads, readIds };
}

/**
 * Blob ids for the cache of files not extracted: a skipped record gets one
 * (over the size limit: its reason stays), and each unread file a record of
 * its own, taken from the cache while its stamp holds (`unreadRecord`).
 * Only with a cache: nothing else reads them.
 */
function unreadRecords(
  records: [string, FileRecord][],
  unread: string[],
  setup: ExtractSetup,
  cache: FactCache,
  indexIds: Map<string, string> | undefined,
  readIds: Map<string, string>,
): [string, FileRecord][] {
  const realDirs: RealDirs = new Map();
  // A blob id hashed from the bytes (no index id given), told to `readIds`.
  const read = (file: string): FileRecord | undefined => {
    const indexId = indexIds?.get(file);
    const record = unreadRecord(file, setup, realDirs, indexId);
    if (indexId === undefined && record?.digest !== undefined) readIds.set(file, record.digest);
    return record;
  };
  records.forEach((entry) => {
    const [file, record] = entry;
    if (record.skipped === undefined || record.digest !== undefined) return;
    const ided = read(file);
    if (ided) entry[1] = { ...ided, skipped: record.skipped };
  });
  const added: [string, FileRecord][] = [];
  for (const file of unread) {
    const cached = cache.get(file);
    const stamp = cached?.stamp && cached.digest ? statStamp(path.join(setup.realRoot, file)) : undefined;
    const record = stamp && sameStamp(stamp, cached!.stamp!) ? cached : read(file);
    if (record) added.push([file, record]);
  }
  return added;
}

/**
 * A cached record whose blob id is the one git's index vouches for, or whose
 * stamp still matches the file, with its facts; undefined when the file must be read.
 */
function cacheHit(realRoot: string, file: string, cache: FactCache | undefined, indexId: string | undefined): Outcome | undefined {
  const record = cache?.get(file);
  if (!record) return undefined;
  // 50k stat calls are a third of a warm run's file work; git's index has done them (`worktree.ts`).
  const vouched = indexId !== undefined && record.digest === indexId;
  if (!vouched) {
    if (!record.stamp) return undefined;
    const stamp = statStamp(path.join(realRoot, file));
    if (!stamp || !sameStamp(stamp, record.stamp)) return undefined;
  }
  if (record.skipped !== undefined) return { record };
  const facts = factsOf(file, record);
  return facts ? { record, facts } : undefined;
}

/** A job's final outcome: an unchanged text takes the cached facts under its new stamp; bad cached facts are re-extracted. */
function settle(
  job: Job,
  { extracted: kept, ...extracted }: FileRecord & { unchanged?: boolean; extracted?: FileFacts },
  cache: FactCache | undefined,
  again: () => FileRecord,
): Outcome {
  if (kept) return { record: extracted, facts: kept };
  let record: FileRecord = extracted;
  if (extracted.unchanged) {
    const cached = cache?.get(job.file);
    record = cached?.facts !== undefined ? { stamp: extracted.stamp, digest: extracted.digest, facts: cached.facts } : again();
  }
  if (record.skipped !== undefined) return { record };
  const facts = factsOf(job.file, record);
  if (facts) return { record, facts };
  const fresh = again();
  return { record: fresh, facts: factsOf(job.file, fresh) };
}

async function extractJobs(
  jobs: Job[],
  setup: ExtractSetup,
  tags: Config['tags'],
  workers: number | 'auto',
  report: (done: Job[]) => void,
): Promise<{ records: (FileRecord & { unchanged?: boolean; extracted?: FileFacts })[]; threads: number }> {
  // This thread extracts too, so `auto` starts one worker fewer than there are cores.
  const threads = workers === 'auto' ? (worthWorkers(jobs) ? workerCount() : 0) : workers;
  if (threads >= 1) {
    try {
      return { records: await extractInWorkers(jobs, setup, threads, { onBatch: (batch) => report(batch.jobs), helpInThread: true }), threads: threads + 1 };
    } catch {
      // Workers could not start or failed (no TypeScript loader, a resource limit): do it here.
    }
  }
  const realDirs: RealDirs = new Map();
  const records: (FileRecord & { unchanged?: boolean; extracted?: FileFacts })[] = [];
  let yielded = performance.now();
  for (let start = 0; start < jobs.length; start += PROGRESS_EVERY) {
    const slice = jobs.slice(start, start + PROGRESS_EVERY);
    for (const job of slice) {
      records.push(extractRecord(job.file, setup, tags, realDirs, job.knownDigest, true));
      // git's log and index listing run meanwhile and block on a full pipe until this thread reads it:
      // without a pause, history waited for the whole extraction (measured: a 0.1 s `git log` took 1.8-8.7 s).
      if (performance.now() - yielded > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
    }
    report(slice);
  }
  return { records, threads: 1 };
}

function worthWorkers(jobs: Job[]): boolean {
  if (jobs.length > WORKER_MIN_FILES) return true;
  let documents = 0;
  for (const job of jobs) if (isMarkdownPath(job.file) && ++documents > WORKER_MIN_DOCUMENTS) return true;
  return false;
}

function assemble(files: string[], outcomes: Outcome[], read: number): Omit<CollectedFacts, 'stampMs' | 'threads' | 'readIds'> {
  const facts: FileFacts[] = [];
  const skipped: SkippedFile[] = [];
  const records: [string, FileRecord][] = [];
  files.forEach((file, index) => {
    const { record, facts: fileFacts } = outcomes[index];
    records.push([file, record]);
    if (fileFacts) facts.push(fileFacts);
    else if (record.skipped === BINARY_CONTENT) skipped.push({ path: file, reason: BINARY_CONTENT, kind: 'binary' });
    else skipped.push({ path: file, reason: record.skipped ?? 'it could not be read' });
  });
  return { facts, skipped, records, read };
}
