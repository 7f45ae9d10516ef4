/**
 * The project's root folder (the one holding package.json and schema.graphql),
 * found from this file wherever it runs: src/shared/ under tsx, or
 * dist/src/shared/ in the compiled build (`npm run build`). A fixed number of
 * `..` from __dirname would point into dist/ there.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}: the project root (with schema.graphql) cannot be found`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
