import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The portal's own mkdocs.yml, read before any journey opens the docs (see docs.spec.ts). */
export const mkdocsYmlPath = path.resolve(__dirname, '..', 'mkdocs.yml');

/** Waits for the backend and pushes the demo data through the ingestion API, as CI would. */
export default async function globalSetup() {
  process.env.E2E_MKDOCS_YML_BEFORE = readFileSync(mkdocsYmlPath, 'utf8');
  execFileSync(
    process.execPath,
    [path.resolve(__dirname, '../scripts/seed-demo-data.mjs'), '--wait'],
    {
      stdio: 'inherit',
    },
  );
}
