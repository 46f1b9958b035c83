/**
 * Waymark's own guide pages (`src/guides/*.mdx`), the only MDX the site
 * compiles: how to read a badge, what stale and moved mean, how to write a
 * reference. Repository documents never pass through here; they are rendered
 * by the site's markdown pipeline as text (`src/site/markdown.ts`).
 */

/** What a guide module exports: its front matter and its compiled content. */
export interface GuideModule {
  frontmatter: { title: string; description: string; order: number };
  default: unknown;
}

/** One guide, its slug the file name (`read-a-badge.mdx` → `read-a-badge`). */
export interface Guide {
  slug: string;
  title: string;
  description: string;
  order: number;
  module: GuideModule;
}

/** Guides by their order, from `import.meta.glob` output (file path → module). */
export function listGuides(modules: Record<string, GuideModule>): Guide[] {
  return Object.entries(modules)
    .map(([file, module]) => ({
      slug: file.slice(file.lastIndexOf('/') + 1).replace(/\.mdx$/, ''),
      title: module.frontmatter.title,
      description: module.frontmatter.description,
      order: module.frontmatter.order,
      module,
    }))
    .sort((a, b) => a.order - b.order || (a.slug < b.slug ? -1 : 1));
}
