/**
 * Slugs: GitHub-style heading anchors (what `#anchor` links point at) and
 * plain ids for processes, environments and derived task ids.
 */
import { slug as githubSlug } from 'github-slugger';

/** Hands out unique heading slugs for one document, the way GitHub renders them. */
export interface Slugger {
  /** Slug for `text`; a repeated slug gets `-1`, `-2`, … */
  slug(text: string): string;
  /** Forget the slugs handed out so far. */
  reset(): void;
}

/** A fresh slugger; use one per document. Counts repeats as github-slugger's `BananaSlug` does. */
export function createSlugger(): Slugger {
  let occurrences = new Map<string, number>();
  return {
    slug: (text) => {
      const original = headingSlug(text);
      let result = original;
      while (occurrences.has(result)) {
        const count = occurrences.get(original)! + 1;
        occurrences.set(original, count);
        result = `${original}-${count}`;
      }
      occurrences.set(result, 0);
      return result;
    },
    reset: () => {
      occurrences = new Map();
    },
  };
}

/** The ASCII characters github-slugger's slug keeps (after lower-casing): it removes every other one. */
const SLUG_KEPT = /^[\w -]*$/;

/** The GitHub anchor of a heading, without de-duplication (`Blue/Green Rollout` → `bluegreen-rollout`). */
export function headingSlug(text: string): string {
  // Most headings hold only kept characters: no pass of github-slugger's regex (a class of ~700 ranges) over them.
  const lower = text.toLowerCase();
  return SLUG_KEPT.test(lower) ? lower.replace(/ /g, '-') : githubSlug(text);
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
