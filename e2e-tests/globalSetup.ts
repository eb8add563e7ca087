import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Waits for the backend and pushes the demo data through the ingestion API, as CI would. */
export default async function globalSetup() {
  execFileSync(
    process.execPath,
    [path.resolve(__dirname, '../scripts/seed-demo-data.mjs'), '--wait'],
    {
      stdio: 'inherit',
    },
  );
}
