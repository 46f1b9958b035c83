/**
 * Extraction on worker threads, for cold scans of big repositories: parsing
 * markdown is most of a scan's CPU time, and files are independent. Each
 * worker reads its own files (texts never cross threads) and sends back
 * records; batches go to whichever worker is free, so a few long documents
 * do not hold the rest up.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { isMarkdownPath } from '../core/extract/extract.ts';
import { extractClock, extractRecord, type ExtractSetup, type FileRecord } from './file-record.ts';

export interface Job {
  file: string;
  /** The cached digest, when the file's stamp changed: an unchanged text is not extracted again. */
  knownDigest?: string;
}

export interface Batch {
  id: number;
  /** Index of the batch's first job among all jobs. */
  start: number;
  jobs: Job[];
}

export interface BatchResult {
  id: number;
  records: (FileRecord & { unchanged?: boolean })[];
  /** The worker's time reading and extracting this batch (`extractClock`), added to this thread's clock. */
  readMs?: number;
  parseMs?: number;
}

/** A markdown document costs about as much to parse as this many code files to scan for markers. */
const MARKDOWN_WEIGHT = 15;
/** Work per batch, in code-file units: big enough to amortise messages, small enough to balance. */
const BATCH_WEIGHT = 800;

/**
 * Workers worth starting besides this thread: one per other core, whatever
 * the load. A rule that started them only on idle cores (by the load
 * average) ran a 50k-file cold check on one thread whenever anything else
 * ran: at a load of 1 on 2 cores, 7.9-8.9 s on one thread against 7.3 s with
 * a worker (+0.5 s of CPU for its start-up and JIT warm-up). The kernel
 * shares a busy core; a thread that is not started gets none of it.
 */
export function workerCount(): number {
  return Math.max(0, Math.min(os.availableParallelism(), MAX_THREADS) - 1);
}

/** Past this many threads, start-up and hand-over cost more than the batches left to share. */
const MAX_THREADS = 8;

/** Cut jobs into batches of about equal work. */
export function batches(jobs: Job[]): Batch[] {
  const result: Batch[] = [];
  let start = 0;
  let weight = 0;
  jobs.forEach((job, index) => {
    weight += isMarkdownPath(job.file) ? MARKDOWN_WEIGHT : 1;
    if (weight < BATCH_WEIGHT && index < jobs.length - 1) return;
    result.push({ id: result.length, start, jobs: jobs.slice(start, index + 1) });
    start = index + 1;
    weight = 0;
  });
  return result;
}

export interface PoolOptions {
  /** Told after each batch, in whatever order batches finish. */
  onBatch?: (batch: Batch, records: BatchResult['records']) => void;
  /**
   * Extract batches in this thread too, between handing batches out: with
   * one worker fewer, the same cores are busy and one start-up is saved.
   */
  helpInThread?: boolean;
}

/** Batches a worker holds at once, so it never waits for this thread to hand it the next. */
const IN_FLIGHT = 2;

/**
 * Records for `jobs`, in their order, from `threads` workers (and this
 * thread, if it helps). Rejects when a worker fails, and the caller falls
 * back to extracting in-thread.
 */
export async function extractInWorkers(
  jobs: Job[],
  setup: ExtractSetup,
  threads: number,
  { onBatch = () => undefined, helpInThread = false }: PoolOptions = {},
): Promise<BatchResult['records']> {
  const queue = batches(jobs);
  const records: BatchResult['records'] = new Array(jobs.length);
  let next = 0;
  let failed = false;
  const take = (): Batch | undefined => (failed || next >= queue.length ? undefined : queue[next++]);
  const store = (batch: Batch, result: BatchResult['records']) => {
    for (let i = 0; i < result.length; i++) records[batch.start + i] = result[i];
    onBatch(batch, result);
  };
  const workers = Array.from({ length: Math.min(threads, queue.length) }, () => startWorker(setup));
  const workerLane = async (worker: Worker) => {
    for (let batch = take(); batch; batch = take()) {
      const result = await runBatch(worker, batch);
      extractClock.readMs += result.readMs ?? 0;
      extractClock.parseMs += result.parseMs ?? 0;
      store(batch, result.records);
    }
  };
  const threadLane = async () => {
    const tags = new Map(setup.tags);
    const realDirs = new Map<string, string | undefined>();
    // Let the workers be handed their first batches before this thread starts on its own.
    await new Promise((resolve) => setImmediate(resolve));
    for (let batch = take(); batch; batch = take()) {
      store(batch, batch.jobs.map((job) => extractRecord(job.file, setup, tags, realDirs, job.knownDigest)));
      // Between batches, let finished workers pick up their next ones.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const lanes = workers.flatMap((worker) => Array.from({ length: IN_FLIGHT }, () => workerLane(worker)));
  if (helpInThread) lanes.push(threadLane());
  const stopOnFailure = (error: unknown): never => {
    failed = true;
    throw error;
  };
  try {
    await Promise.all(lanes.map((lane) => lane.catch(stopOnFailure)));
  } finally {
    failed = true;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return records;
}

function startWorker(setup: ExtractSetup): Worker {
  const worker = new Worker(new URL('./extract-worker.mjs', import.meta.url), {
    workerData: setup,
    // Node options of this process, less those a worker cannot start with (`node --input-type=module -e …`).
    execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
  });
  // An idle worker must not keep the process alive if the caller stops waiting.
  worker.unref();
  return worker;
}

/** Send one batch and wait for its records, or for the worker to fail. */
function runBatch(worker: Worker, batch: Batch): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (result: BatchResult) => {
      if (result?.id !== batch.id) return;
      cleanup();
      resolve(result);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`an extraction worker stopped (exit code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(batch);
  });
}
