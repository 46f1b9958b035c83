/**
 * The pages a 404 page may suggest: every section, process, task, document and
 * environment, and files while there are few enough to ship (the list is
 * inlined into 404.html, which a large repository's files would bloat).
 */
import type { SiteIndex } from './model.ts';

/** Files listed at most; past this the 404 page suggests everything but files. */
const MAX_SUGGESTED_FILES = 2000;

export interface SuggestablePage {
  url: string;
  title: string;
}

export function suggestablePages(site: Pick<SiteIndex, 'urls' | 'processes' | 'tasks' | 'documents' | 'environments' | 'files' | 'processByFile' | 'linkFor'>): SuggestablePage[] {
  const { urls } = site;
  const pages: SuggestablePage[] = [
    { url: urls.home(), title: 'Overview' },
    { url: urls.processes(), title: 'Processes' },
    { url: urls.tasks(), title: 'Tasks' },
    { url: urls.changes(), title: 'Change history' },
    { url: urls.files(), title: 'Files' },
    { url: urls.docs(), title: 'Documents' },
    { url: urls.environments(), title: 'Environments' },
    { url: urls.problems(), title: 'Problems' },
  ];
  for (const p of site.processes) pages.push({ url: urls.process(p.id), title: `${p.name} (process)` });
  for (const t of site.tasks) pages.push({ url: urls.task(t.key), title: `${t.taskId}: ${t.name}` });
  for (const e of site.environments) pages.push({ url: urls.environment(e.id), title: `${e.name} (environment)` });
  // Documents and files through `linkFor`, which knows which page each has.
  for (const d of site.documents) {
    const url = site.linkFor({ path: d.path });
    if (url && !site.processByFile.has(d.path)) pages.push({ url, title: d.title || d.path });
  }
  if (site.files.length <= MAX_SUGGESTED_FILES) {
    for (const f of site.files) {
      const url = site.linkFor({ path: f.path });
      if (url) pages.push({ url, title: f.path });
    }
  }
  const seen = new Set<string>();
  return pages.filter((p) => !seen.has(p.url) && seen.add(p.url));
}
