/**
 * Whether a file that is not on disk yet (a new editor buffer, never saved)
 * would be one of the repository's files once saved: the config's
 * `include`/`exclude`, never `.git` or `node_modules`, and not ignored by
 * git (`git check-ignore`, which answers for paths that do not exist).
 */
import { Minimatch } from 'minimatch';
import type { Config } from '../../core/config/config.ts';
import { git, openScope } from '../git.ts';

export async function listedOnceSaved(root: string, file: string, config: Pick<Config, 'include' | 'exclude'>): Promise<boolean> {
  if (file.split('/').some((part) => part === '.git' || part === 'node_modules')) return false;
  // dot: as discovery matches them (`.github/workflows/*.yml` is a file like any other).
  const matches = (pattern: string) => new Minimatch(pattern, { dot: true }).match(file);
  if (config.include.length && !config.include.some(matches)) return false;
  if (config.exclude.some(matches)) return false;
  const { scope } = await openScope(root);
  if (!scope) return true;
  // Exit 0: ignored; 1 (a rejection): not ignored.
  return git(scope, ['check-ignore', '-q', '--', file]).then(
    () => false,
    () => true,
  );
}
