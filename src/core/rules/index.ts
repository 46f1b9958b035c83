/** Every rule, in the order they are documented. Adding a rule means adding a file and a line here. */
import { ambiguousReference } from './ambiguous-reference.ts';
import { changeAfterUpdate } from './change-after-update.ts';
import { duplicateId } from './duplicate-id.ts';
import { invalidMetadata } from './invalid-metadata.ts';
import { lineOutOfRange } from './line-out-of-range.ts';
import { malformedMarkdown } from './malformed-markdown.ts';
import { missingAnchor } from './missing-anchor.ts';
import { missingFile } from './missing-file.ts';
import { missingSymbol } from './missing-symbol.ts';
import { movedLines } from './moved-lines.ts';
import { orphanProcess } from './orphan-process.ts';
import { processNeedsRevalidation } from './process-needs-revalidation.ts';
import type { Rule } from './rule.ts';
import { staleReference } from './stale-reference.ts';
import { taskStatusMismatch } from './task-status-mismatch.ts';
import { unknownProcess } from './unknown-process.ts';
import { unknownTask } from './unknown-task.ts';
import { unreadableFile } from './unreadable-file.ts';
import { unvalidatedProcess } from './unvalidated-process.ts';
import { validationOverdue } from './validation-overdue.ts';

export const rules: readonly Rule[] = [
  missingFile,
  lineOutOfRange,
  missingAnchor,
  missingSymbol,
  ambiguousReference,
  unknownProcess,
  unknownTask,
  duplicateId,
  invalidMetadata,
  malformedMarkdown,
  unreadableFile,
  orphanProcess,
  unvalidatedProcess,
  taskStatusMismatch,
  staleReference,
  movedLines,
  changeAfterUpdate,
  processNeedsRevalidation,
  validationOverdue,
];

/** The keys `rules` in the config may set: every rule id, and `rule/class` for each class a rule declares. */
export function ruleSettingKeys(): string[] {
  return rules.flatMap((rule) => [rule.id, ...Object.keys(rule.classes ?? {}).map((name) => `${rule.id}/${name}`)]);
}
