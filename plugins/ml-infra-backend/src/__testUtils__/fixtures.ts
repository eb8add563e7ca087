/*
 * Real tool outputs kept outside the repository, in `../shared/fixtures` relative to the repo
 * root (the folder holding backstage.json).
 */
import fs from 'fs';
import path from 'path';

function findRepoRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'backstage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

export const fixturesDir = path.resolve(
  findRepoRoot(__dirname),
  '..',
  'shared',
  'fixtures',
);
