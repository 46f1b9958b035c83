/**
 * Where "go to definition" goes from a target (`at-position.ts`): the cited
 * lines, the heading or symbol after `#`, the process document, the task's
 * plan entry. Pure; symbols are looked up through a callback, since their
 * ranges come from the target file's text.
 */
import type { Graph, LineRange, Reference } from '../schema.ts';
import type { EditorTarget } from './at-position.ts';

/** A place to open: repository-relative file and an inclusive 1-based line range. */
export interface EditorLocation {
  file: string;
  start: number;
  end: number;
}

/** A symbol's lines in a file (`infra/lb.tf`, `aws_lb_listener_rule.switch`), when the file defines it. */
export type SymbolLookup = (file: string, symbol: string) => LineRange | undefined;

/** The line of a heading or explicit anchor of a markdown document. */
export function anchorLine(graph: Pick<Graph, 'documents'>, file: string, anchor: string): number | undefined {
  const document = graph.documents.find((candidate) => candidate.path === file);
  const wanted = anchor.toLowerCase();
  return document?.headings.find((heading) => heading.slug === wanted || heading.slug === anchor)?.line;
}

function referenceLocations(graph: Pick<Graph, 'documents'>, reference: Reference, symbol: SymbolLookup): EditorLocation[] {
  if (reference.status !== 'ok' && reference.status !== 'ambiguous') return [];
  return reference.targets.map((file) => {
    if (reference.lines) return { file, start: reference.lines.start, end: reference.lines.end };
    if (reference.anchor) {
      const line = anchorLine(graph, file, reference.anchor);
      if (line) return { file, start: line, end: line };
      const found = symbol(file, reference.anchor);
      if (found) return { file, ...found };
    }
    return { file, start: 1, end: 1 };
  });
}

/** The places a target is defined, best first; empty when it points nowhere known. */
export function definitionsOf(graph: Pick<Graph, 'documents' | 'tasks'>, target: EditorTarget, symbol: SymbolLookup): EditorLocation[] {
  switch (target.kind) {
    case 'reference':
      return referenceLocations(graph, target.reference, symbol);
    case 'process': {
      const heading = graph.documents.find((document) => document.path === target.process.file)?.headings[0]?.line ?? 1;
      return [{ file: target.process.file, start: heading, end: heading }];
    }
    case 'task':
      return target.tasks.flatMap((task) =>
        task.plan ? [{ file: task.plan.file, start: task.plan.line, end: task.plan.line }] : task.summaries.map((file) => ({ file, start: 1, end: 1 })),
      );
  }
}
