import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { resolveConfig } from '../src/core/config/config.ts';
import { extractFacts, isMarkdownPath } from '../src/core/extract/extract.ts';
import { bytesMayHoldMarkers, mayHoldMarkers } from '../src/core/extract/marker-prefilter.ts';
import { lineCountOf } from '../src/node/file-record.ts';
import { extractMarkers } from '../src/core/extract/markers.ts';
const dir = process.argv[2];
const files = execFileSync('git', ['ls-files'], { cwd: dir, encoding: 'utf8', maxBuffer: 1e9 }).split('\n').filter((f) => f && !isMarkdownPath(f));
const tags = resolveConfig({}, 'x').tags;
const bufs = files.map((f) => readFileSync(`${dir}/${f}`));
const texts = bufs.map((b) => b.toString('utf8'));
const time = (label: string, fn: (i: number) => unknown) => { const t = performance.now(); let hits = 0; for (let i = 0; i < files.length; i++) if (fn(i)) hits++; console.log(label.padEnd(20), Math.round(performance.now() - t), 'ms', hits); };
for (let r = 0; r < 2; r++) {
  time('isUtf8', (i) => isUtf8(bufs[i]));
  time('latin1', (i) => bufs[i].toString('latin1').length);
  time('bytesMayHold', (i) => bytesMayHoldMarkers(bufs[i].toString('latin1'), tags));
  time('mayHold(text)', (i) => mayHoldMarkers(texts[i], tags));
  time('decode', (i) => bufs[i].toString('utf8').length);
  time('sha1 bytes', (i) => hash('sha1', bufs[i]));
  time('lineCountOf', (i) => lineCountOf(bufs[i]));
  time('extractMarkers(hit)', (i) => mayHoldMarkers(texts[i], tags) && extractMarkers(files[i], texts[i], tags).markers.length);
  time('extractFacts(all)', (i) => extractFacts(files[i], texts[i], { tags }).markers.length);
}
console.log(bufs.reduce((a, b) => a + b.length, 0) / 1e6, 'MB');
