import type { Document, Reference } from '../schema.ts';
import { didYouMean } from '../text/did-you-mean.ts';
import type { Rule } from './rule.ts';

/** `Section 9`, `§0`, `(Orchestration section)`: a heading that starts with the number or contains the name. */
function hasSection(document: Document, section: string): boolean {
  const wanted = section.toLowerCase().replace(/^§\s*/, '');
  const numeric = /^\d+(\.\d+)*$/.test(wanted);
  return document.headings.some((heading) => {
    const text = heading.text.toLowerCase();
    if (!numeric) return text.includes(wanted);
    return new RegExp(`^(?:section\\s+|§\\s*)?${wanted.replace(/\./g, '\\.')}(?![\\d])`).test(text);
  });
}

function nearestSlugs(document: Document, anchor: string): string[] {
  const wanted = anchor.toLowerCase();
  return document.headings
    .map((heading) => heading.slug)
    .filter((slug) => slug.includes(wanted) || wanted.includes(slug))
    .slice(0, 3)
    .map((slug) => `#${slug}`);
}

function problem(reference: Reference, document: Document): { message: string; suggestion?: string } | undefined {
  if (reference.anchor !== undefined) {
    const anchor = decodeURIComponent(reference.anchor).toLowerCase();
    if (document.headings.some((heading) => heading.slug === anchor)) return undefined;
    return {
      message: `\`${document.path}\` has no heading \`#${reference.anchor}\``,
      suggestion: didYouMean(nearestSlugs(document, anchor)),
    };
  }
  if (reference.section !== undefined && !hasSection(document, reference.section)) {
    return { message: `\`${document.path}\` has no section \`${reference.section}\`` };
  }
  return undefined;
}

/** An anchor or named section that no heading of the target document provides. */
export const missingAnchor: Rule = {
  id: 'missing-anchor',
  defaultSeverity: 'error',
  description: 'A reference names a heading or section its document does not have.',
  check({ graph, findings }) {
    return graph.references.flatMap((reference) => {
      if (reference.status !== 'ok' || reference.targets.length !== 1) return [];
      const document = findings.documentsByPath.get(reference.targets[0]);
      const found = document && problem(reference, document);
      return found ? [{ ...reference.source, reference: reference.id, ...found }] : [];
    });
  },
};
