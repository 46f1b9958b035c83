/**
 * Complexity guards for tests: the same input at n and 4n, timed side by side
 * in the same test, never against an absolute time (a shared machine makes any
 * absolute bound either flaky or too loose to catch a quadratic cost).
 */
import { expect } from 'vitest';

const MIB = 1024 * 1024;
/**
 * The larger size is 4× the smaller: linear work costs 4×, quadratic 16×.
 * Not 6 or 8: CPU time counts V8's garbage-collection threads, and on a busy
 * two-core machine node-dense linear documents measured up to 10.3× (rows of
 * 400 cells, in a full test run beside a build). 11 still fails a quadratic
 * cost: satteri's mismatched emphasis, unguarded, measured 12×.
 */
const MAX_GROWTH = 11;
/** Each timed sample runs long enough (ms) for the clock and the scheduler to be noise. */
const SAMPLE_MS = 30;

/** CPU time (ms) of `repeats` runs: unlike the wall clock, it does not count time other processes hold the cores. */
function timeOnce(run: () => void, repeats: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < repeats; i++) run();
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / 1000;
}

/**
 * How much more `run(make(4n))` costs than `run(make(n))`: repeated so the
 * small run takes {@link SAMPLE_MS}, interleaved, best of five (best of three
 * once measured 11.03× for a linear node-dense case in a full CI run).
 */
function growth<T>(make: (size: number) => T, run: (input: T) => void, n: number): number {
  const small = make(n);
  const large = make(4 * n);
  run(small); // warm up the JIT and the regex caches
  const repeats = Math.min(200, Math.max(1, Math.ceil(SAMPLE_MS / Math.max(timeOnce(() => run(small), 1), 0.01))));
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let trial = 0; trial < 5; trial++) {
    bestSmall = Math.min(bestSmall, timeOnce(() => run(small), repeats));
    bestLarge = Math.min(bestLarge, timeOnce(() => run(large), repeats));
  }
  return bestLarge / bestSmall;
}

export function expectLinear<T>(label: string, make: (size: number) => T, run: (input: T) => void, n = MIB / 4): void {
  // A busy machine can spoil one measurement; a quadratic cost spoils every one.
  let ratio = growth(make, run, n);
  for (let attempt = 1; attempt < 5 && ratio > MAX_GROWTH; attempt++) ratio = Math.min(ratio, growth(make, run, n));
  expect(ratio, `${label} cost ${ratio.toFixed(1)}× more for 4× the input`).toBeLessThanOrEqual(MAX_GROWTH);
}

