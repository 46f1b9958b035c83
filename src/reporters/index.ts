import { githubReporter } from './github.ts';
import { jsonReporter } from './json.ts';
import { markdownReporter } from './markdown.ts';
import type { Reporter } from './report.ts';
import { sarifReporter } from './sarif.ts';
import { textReporter } from './text.ts';

export const reporters: Record<string, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  markdown: markdownReporter,
};
