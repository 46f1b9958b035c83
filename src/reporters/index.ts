import { compactReporter } from './compact.ts';
import { githubReporter } from './github.ts';
import { jsonReporter } from './json.ts';
import { markdownReporter } from './markdown.ts';
import type { Reporter } from './report.ts';
import { sarifReporter } from './sarif.ts';
import { stylishReporter } from './stylish.ts';

/** Every `--format`; `text` is not one of them but the choice between stylish and compact (see `textFormat`). */
export const reporters: Record<string, Reporter> = {
  stylish: stylishReporter,
  compact: compactReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  markdown: markdownReporter,
};

/** What `text` (and no `--format`) means: stylish for a person at a terminal, compact for a script reading a pipe. */
export function textFormat(stdoutIsTerminal: boolean): 'stylish' | 'compact' {
  return stdoutIsTerminal ? 'stylish' : 'compact';
}
