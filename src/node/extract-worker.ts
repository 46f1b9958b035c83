/** An extraction worker: batches of paths in, records out (see `extract-pool.ts`). */
import { parentPort, workerData } from 'node:worker_threads';
import { extractClock, extractRecord, type ExtractSetup } from './file-record.ts';
import type { RealDirs } from './read-files.ts';
import type { Batch, BatchResult } from './extract-pool.ts';

const setup = workerData as ExtractSetup;
const tags = new Map(setup.tags);
const realDirs: RealDirs = new Map();

parentPort?.on('message', (batch: Batch) => {
  const [readMs, parseMs] = [extractClock.readMs, extractClock.parseMs];
  const records = batch.jobs.map((job) => extractRecord(job.file, setup, tags, realDirs, job.knownDigest));
  const result: BatchResult = { id: batch.id, records, readMs: extractClock.readMs - readMs, parseMs: extractClock.parseMs - parseMs };
  parentPort!.postMessage(result);
});
