/**
 * Slugs: GitHub-style heading anchors (what `#anchor` links point at) and
 * plain ids for processes, environments and derived task ids.
 */
import GithubSlugger, { slug as githubSlug } from 'github-slugger';

/** Hands out unique heading slugs for one document, the way GitHub renders them. */
export interface Slugger {
  /** Slug for `text`; a repeated slug gets `-1`, `-2`, … */
  slug(text: string): string;
  /** Forget the slugs handed out so far. */
  reset(): void;
}

/** A fresh slugger; use one per document. */
export function createSlugger(): Slugger {
  const inner = new GithubSlugger();
  return {
    slug: (text) => inner.slug(text),
    reset: () => inner.reset(),
  };
}

/** The GitHub anchor of a heading, without de-duplication (`Blue/Green Rollout` → `bluegreen-rollout`). */
export function headingSlug(text: string): string {
  return githubSlug(text);
}

/**
 * An id from a name: lower-case ASCII words joined by `-`
 * (`Blue/Green Rollout` → `blue-green-rollout`). Unlike heading slugs,
 * punctuation separates words rather than vanishing.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop the accents NFKD split off
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
