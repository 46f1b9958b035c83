/**
 * Write the published JSON Schemas (`schemas/*.json`) from the zod schemas:
 *
 *   npm run schemas
 *
 * Run after changing `ProblemReport` (src/core/schema.ts) or `UserConfig`
 * (src/core/config/config.ts); `test/json-schemas.test.ts` fails until then.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from '../src/core/json-schemas.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [file, text] of Object.entries(jsonSchemaFiles())) {
  await mkdir(path.dirname(path.join(projectRoot, file)), { recursive: true });
  await writeFile(path.join(projectRoot, file), text);
  process.stderr.write(`wrote ${file}\n`);
}
