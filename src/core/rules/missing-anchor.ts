import { isUnclosedFence } from '../extract/markdown.ts';
import type { FileFacts } from '../extract/extract.ts';
import type { Document, Reference } from '../schema.ts';
import type { FileIndex } from '../graph/resolve.ts';
import { didYouMean } from '../text/did-you-mean.ts';
import { editDistanceWithin } from '../text/edit-distance.ts';
import { headingSlug } from '../text/slug.ts';
import type { Rule } from './rule.ts';

/**
 * `xyz---yyyy-mm-dd`, `release-xxx`: a word only a placeholder holds, or a date pattern. Not `your`, which
 * real headings hold (`Stage 2: Setup your local workstation`).
 */
function placeholderAnchor(anchor: string): boolean {
  return /(?:^|-)(?:xyz|xxx+|yyyy|placeholder)(?:-|$)/i.test(decode(anchor));
}

/** A markdown README GitHub renders under a folder's listing (`README.md`, `readme.markdown`, …). */
const README = /^readme(?:\.(?:md|markdown|mdown|mkdn|mkd|mdwn))?$/i;

/** `Section 9`, `§0`, `(Orchestration section)`: a heading (or a bold label standing as one) that starts with the number or contains the name. */
function hasSection(document: Document, section: string): boolean {
  const wanted = section.toLowerCase().replace(/^§\s*/, '').trim();
  const numeric = /^\d+(\.\d+)*$/.test(wanted);
  const texts = [...document.headings.map((heading) => heading.text), ...(document.labels ?? [])];
  return texts.some((raw) => {
    const text = raw.toLowerCase();
    if (!numeric) return text.includes(wanted);
    return new RegExp(`^(?:section\\s+|§\\s*)?${wanted.replace(/\./g, '\\.')}(?![\\d])`).test(text);
  });
}

/**
 * `§3, §4`, `Sections 3 and 4`, `3/4`: every section a list names, each
 * checked on its own. A single name (`Rollback and Recovery`) stays whole
 * unless each part looks like a section number.
 */
function sectionItems(section: string): string[] {
  const text = section.replace(/^s\s+/i, '').trim(); // `Sections 3, 4` parses as section `s 3, 4`.
  const parts = text.split(/\s*(?:,|&|\/|\band\b)\s*/).map((part) => part.replace(/^§\s*/, '').trim()).filter(Boolean);
  const numbered = parts.length > 1 && parts.every((part) => /^(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*|[IVX]+)$/.test(part));
  return numbered ? parts : [text];
}

/** Slugs a link may target in `document`: its headings, its explicit HTML anchors, and GitHub's own. Built once per document. */
function linkSlugs(document: Document, cache: Map<Document, Set<string>>): Set<string> {
  const known = cache.get(document);
  if (known) return known;
  const slugs = new Set(document.headings.map((heading) => heading.slug));
  for (const anchor of document.anchors ?? []) slugs.add(anchor.toLowerCase());
  slugs.add('top'); // Browsers scroll to the top for `#top` with no element of that name.
  if (README.test(basename(document.path))) slugs.add('readme'); // GitHub's anchor of the rendered README.
  cache.set(document, slugs);
  return slugs;
}

/** A Waymark reference outside a rendered link may also name a bold label standing as a heading. */
function hasLabelSlug(document: Document, reference: Reference, anchor: string): boolean {
  return reference.origin !== 'link' && (document.labels ?? []).some((label) => headingSlug(label) === anchor);
}

/** Letters and digits only: `phase-1-–-select` and GitHub's `phase-1--select` agree on `phase1select`. */
function looseSlug(slug: string): string {
  return slug.replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * A path written in backticks is read by people and agents, who find the section by its words, not
 * clicked: its anchor may spell the heading in its own slug dialect (`–` and `&` kept, `/` dropped).
 * A link is held to GitHub's slug exactly. Not a heading's first words (`#issue-4` for
 * `## Issue 4: Session not persisting`): the round-15 audit labelled three such anchors right.
 */
function hasLooseSlug(document: Document, reference: Reference, anchor: string, cache: Map<Document, Set<string>>): boolean {
  if (reference.origin === 'link') return false;
  let loose = cache.get(document);
  if (!loose) cache.set(document, (loose = new Set(document.headings.map((heading) => looseSlug(heading.slug)).filter(Boolean))));
  const wanted = looseSlug(anchor);
  return wanted !== '' && loose.has(wanted);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Up to three slugs close to `wanted`: containing it, contained in it, or a small edit away. Never the empty slug. */
function nearestSlugs(slugs: Set<string>, wanted: string): string[] {
  const limit = wanted.length <= 4 ? 1 : wanted.length <= 10 ? 2 : 3;
  return [...slugs]
    .filter((slug) => slug !== '' && slug !== 'top' && slug !== 'readme')
    .filter((slug) => slug.includes(wanted) || wanted.includes(slug) || editDistanceWithin(slug, wanted, limit) <= limit)
    .slice(0, 3)
    .map((slug) => `#${slug}`);
}

function decode(anchor: string): string {
  try {
    return decodeURIComponent(anchor);
  } catch {
    return anchor;
  }
}

interface SlugCaches {
  link: Map<Document, Set<string>>;
  loose: Map<Document, Set<string>>;
}

function problem(reference: Reference, document: Document, cache: SlugCaches): { message: string; suggestion?: string } | undefined {
  if (reference.anchor !== undefined) {
    // GitHub prefixes every id it renders with `user-content-`; links may spell it out.
    const anchor = decode(reference.anchor).toLowerCase().replace(/^user-content-(?=.)/, '');
    const slugs = linkSlugs(document, cache.link);
    if (slugs.has(anchor) || hasLabelSlug(document, reference, anchor) || hasLooseSlug(document, reference, anchor, cache.loose)) return undefined;
    const fenced = document.fencedHeadings?.find((heading) => heading.slug === anchor);
    const why = fenced ? `: its line ${fenced.line} is inside a code block (a fence nested in a fence ends it early and opens another)` : '';
    return {
      message: `\`${document.path}\` has no heading \`#${reference.anchor}\`${why}`,
      suggestion: didYouMean(nearestSlugs(slugs, anchor)),
    };
  }
  if (reference.section === undefined) return undefined;
  const items = sectionItems(reference.section);
  const missing = items.filter((item) => !hasSection(document, item));
  if (missing.length === 0) return undefined;
  return { message: `\`${document.path}\` has no section \`${items.length === 1 ? reference.section : missing.join('`, `')}\`` };
}

/** Each folder's README as GitHub shows it under the listing: `README.md` first, then other markdown READMEs by name. */
function folderReadmes(index: FileIndex): Map<string, string> {
  const readmes = new Map<string, string>();
  const found = [...index.byBasename.entries()].filter(([name]) => README.test(name)).flatMap(([, paths]) => paths);
  const rank = (path: string) => (basename(path) === 'README.md' ? 0 : /\.md$/i.test(path) ? 1 : 2);
  for (const path of found.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))) {
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (!readmes.has(folder)) readmes.set(folder, path);
  }
  return readmes;
}

/** The line of a document's code fence that is never closed (its `malformed-markdown` problem), looked up by path once one is needed. */
function openFences(facts: readonly FileFacts[]): (path: string) => number | undefined {
  let byPath: Map<string, number> | undefined;
  return (path) => {
    if (!byPath) {
      byPath = new Map();
      for (const file of facts) {
        const open = file.documentProblems.find(isUnclosedFence);
        if (open) byPath.set(file.path, open.line);
      }
    }
    return byPath.get(path);
  };
}

/** An anchor or named section that no heading of the target document provides. */
export const missingAnchor: Rule = {
  id: 'missing-anchor',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A reference names a heading or section its document does not have.',
  check({ graph, findings, facts }) {
    let readmes: Map<string, string> | undefined;
    const slugCache: SlugCaches = { link: new Map(), loose: new Map() };
    const openFence = openFences(facts);
    return graph.references.flatMap((reference) => {
      if (reference.status !== 'ok' || reference.targets.length !== 1) return [];
      let target = reference.targets[0];
      // `./folder#install`: GitHub shows the folder's README under its listing, and the anchor points into it.
      if (!findings.documentsByPath.has(target) && findings.index.directories.has(target) && reference.anchor !== undefined) {
        readmes ??= folderReadmes(findings.index);
        const readme = readmes.get(target);
        const anchor = decode(reference.anchor).toLowerCase();
        if (!readme && anchor !== 'top') {
          return [{ ...reference.source, reference: reference.id, message: `\`${target}/\` has no README, so it has no heading \`#${reference.anchor}\`` }];
        }
        target = readme ?? target;
      }
      const document = findings.documentsByPath.get(target);
      const found = document && problem(reference, document, slugCache);
      if (!found) return [];
      // `CHANGELOG.md#xyz---yyyy-mm-dd` in a release-notes template: an anchor of placeholder words stands for a heading to come.
      if (reference.anchor !== undefined && placeholderAnchor(reference.anchor)) return [];
      // The heading may well be there, swallowed by a code block: the fix is the fence, not the link.
      const fence = reference.anchor !== undefined ? openFence(target) : undefined;
      if (fence === undefined) return [{ ...reference.source, reference: reference.id, ...found }];
      return [
        {
          ...reference.source,
          reference: reference.id,
          message: `${found.message}: its code fence opened on line ${fence} is never closed, so every heading after it reads as code`,
          suggestion: found.suggestion ?? `close the code fence opened on line ${fence}`,
        },
      ];
    });
  },
};
