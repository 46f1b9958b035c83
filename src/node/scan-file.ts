/**
 * A scan written to a file and read back: how `waymark build` hands its scan
 * to Astro's content loader, which runs in Vite's module graph and shares no
 * module state with the caller. The file lives in the build's private
 * folder. JSON, with the config's `Map` kept as a tagged list of entries.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ScanResult } from '../core/schema.ts';

const MAP_TAG = '$waymark:map';

/** Write `scan` to `file` (created readable by the owner only). */
export async function writeScanFile(file: string, scan: ScanResult): Promise<void> {
  const text = JSON.stringify(scan, (_key, value: unknown) => (value instanceof Map ? { [MAP_TAG]: [...value] } : value));
  await writeFile(file, text, { mode: 0o600 });
}

/** Read a scan `writeScanFile` wrote. */
export async function readScanFile(file: string): Promise<ScanResult> {
  const text = await readFile(file, 'utf8');
  return JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && MAP_TAG in value ? new Map((value as Record<string, [unknown, unknown][]>)[MAP_TAG]) : value,
  ) as ScanResult;
}
