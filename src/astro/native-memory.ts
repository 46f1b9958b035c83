/**
 * Memory settings for the native code an Astro build loads, applied before it
 * loads. Vite's bundler (rolldown, a Rust addon) allocates through its own
 * copy of mimalloc, which by default asks the kernel for transparent huge
 * pages: its arena's touched memory stays resident in 2 MiB pages after the
 * bundle step, through every page render. On jinglero (2,945 pages) that arena
 * held ~250 MiB, and the build peaked at 722–768 MiB over 14 runs; with huge
 * pages off, 545–578 MiB over 11, for the same CPU time (side by side, load
 * 4–8; docs/benchmarks.md, `h-site (evening)`). mimalloc reads its options from the
 * environment once, when the addon is loaded, so this runs before Astro is
 * imported; a value the user set is kept.
 */

/** Turn mimalloc's transparent huge pages off for the addons loaded from now on (`MIMALLOC_ALLOW_THP`). */
export function limitNativeMemory(env: NodeJS.ProcessEnv = process.env): void {
  env.MIMALLOC_ALLOW_THP ??= '0';
}
