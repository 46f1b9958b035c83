/**
 * The JSON Schemas Waymark publishes, generated from the zod schemas that are
 * the source of every type (zod 4's `z.toJSONSchema`), never written by hand.
 * `npm run schemas` writes them under `schemas/`; a test holds the shipped
 * files equal to these.
 */
import { z } from 'zod';
import { UserConfig } from './config/config.ts';
import { ProblemReport } from './schema.ts';

/** Where the package's files are published; unversioned, so the URL in a report or a config stays put. */
const PUBLISHED = 'https://unpkg.com/waymark/';

/** `$schema` of `waymark check --format json`. */
export const PROBLEM_REPORT_SCHEMA_URL = `${PUBLISHED}schemas/check-report-v1.json`;
/** `$schema` of `waymark.config.json`, for editor completion. */
export const CONFIG_SCHEMA_URL = `${PUBLISHED}schemas/waymark.config.json`;

/** Package path → file text, for every published schema. */
export function jsonSchemaFiles(): Record<string, string> {
  const file = (url: string, schema: z.ZodType, io: 'input' | 'output') =>
    `${JSON.stringify({ $id: url, ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }) }, null, 2)}\n`;
  return {
    'schemas/check-report-v1.json': file(PROBLEM_REPORT_SCHEMA_URL, ProblemReport, 'output'),
    // A config is what people write: the input side (defaults not required).
    'schemas/waymark.config.json': file(CONFIG_SCHEMA_URL, UserConfig, 'input'),
  };
}
