import type { Finding, Rule } from './rule.ts';

const statusWords: Record<string, string> = {
  complete: 'Complete',
  in_progress: 'In Progress',
  blocked: 'Blocked',
  not_started: 'Not Started',
};

/**
 * A summary that says Complete while acceptance criteria are unticked, or a
 * status update that disagrees with the task's summary.
 */
export const taskStatusMismatch: Rule = {
  id: 'task-status-mismatch',
  defaultSeverity: 'warning',
  description: 'A task is marked Complete with unchecked acceptance criteria, or its status update disagrees with its summary.',
  check({ graph, findings }) {
    const found: Finding[] = [];
    for (const document of graph.documents) {
      if (document.kind !== 'summary' || document.taskStatus !== 'complete') continue;
      const acceptance = new Set(document.headings.filter((heading) => /acceptance/i.test(heading.text)).map((heading) => heading.slug));
      const open = document.checkboxes.filter((box) => !box.checked && box.section && acceptance.has(box.section));
      if (open.length === 0) continue;
      found.push({
        file: document.path,
        line: open[0].line,
        column: 1,
        message: `\`${document.taskId ?? document.title}\` is marked Complete but ${open.length} acceptance criteri${open.length === 1 ? 'on is' : 'a are'} unchecked`,
        suggestion: 'tick the criteria that are met, or set the status back to In Progress',
      });
    }
    for (const task of graph.tasks) {
      const summary = task.summaries.map((file) => findings.documentsByPath.get(file)).find((document) => document?.taskStatus);
      if (!summary?.taskStatus) continue;
      for (const update of task.statusUpdates) {
        if (!update.status || update.status === summary.taskStatus || update.file === summary.path) continue;
        found.push({
          file: update.file,
          line: update.line,
          column: 1,
          message: `status update for \`${task.taskId}\` says ${statusWords[update.status]} but \`${summary.path}\` says ${statusWords[summary.taskStatus]}`,
          suggestion: 'bring the status update and the summary into agreement',
        });
      }
    }
    return found;
  },
};
