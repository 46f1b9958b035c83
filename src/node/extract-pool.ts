/**
 * Extraction on worker threads, for cold scans of big repositories: parsing
 * markdown is most of a scan's CPU time, and files are independent. Each
 * worker reads its own files (texts never cross threads) and sends back
 * records; batches go to whichever worker is free, so a few long documents
 * do not hold the rest up.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { isMarkdownPath } from '../core/extract.ts';
import type { ExtractSetup, FileRecord } from './file-record.ts';

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
}

/** A markdown document costs about as much to parse as this many code files to scan for markers. */
const MARKDOWN_WEIGHT = 40;
/** Work per batch, in code-file units: big enough to amortise messages, small enough to balance. */
const BATCH_WEIGHT = 800;

export function workerCount(): number {
  return Math.max(1, os.availableParallelism());
}

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

/**
 * Records for `jobs`, in their order, computed by `threads` workers. Rejects
 * when a worker fails (the caller falls back to extracting in-thread).
 */
export async function extractInWorkers(
  jobs: Job[],
  setup: ExtractSetup,
  threads: number,
  onBatch: (batch: Batch, records: BatchResult['records']) => void = () => undefined,
): Promise<BatchResult['records']> {
  const queue = batches(jobs);
  const records: BatchResult['records'] = new Array(jobs.length);
  const workers = Array.from({ length: Math.min(threads, queue.length) }, () => startWorker(setup));
  try {
    let next = 0;
    await Promise.all(
      workers.map(async (worker) => {
        while (next < queue.length) {
          const batch = queue[next++];
          const result = await runBatch(worker, batch);
          for (let i = 0; i < result.records.length; i++) records[batch.start + i] = result.records[i];
          onBatch(batch, result.records);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return records;
}

function startWorker(setup: ExtractSetup): Worker {
  const worker = new Worker(new URL('./extract-worker.mjs', import.meta.url), {
    workerData: setup,
    // A larger young generation: parsing allocates many short-lived nodes, and scavenges dominate otherwise.
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
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
