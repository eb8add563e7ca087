import fs from 'fs';
import { NewTestCase } from '../database/MlInfraStore';
import { TestCaseSpool } from './TestCaseSpool';

async function all(source: AsyncIterable<NewTestCase[]>) {
  const out: NewTestCase[] = [];
  for await (const batch of source) out.push(...batch);
  return out;
}

describe('TestCaseSpool', () => {
  it('gives the cases back in order, as often as asked, and leaves nothing behind', async () => {
    const spool = TestCaseSpool.create();
    const cases: NewTestCase[] = Array.from({ length: 5000 }, (_, i) => ({
      name: `Test${i}/line\nbreak\t✓ 🚀 "quoted" \\ \u2028`,
      suite: 'example.com/mod/test',
      status: i % 3 === 0 ? 'failed' : 'passed',
      durationMs: i,
      ...(i % 3 === 0 ? { output: 'x'.repeat(i), outputTruncated: true } : {}),
      attempts: 1 + (i % 2),
      flaky: i % 5 === 0,
    }));
    try {
      for (const c of cases) spool.add(c);
      expect(spool.size).toBe(5000);
      // A retried transaction reads the cases again.
      expect(await all(spool.read())).toEqual(cases);
      expect(await all(spool.read())).toEqual(cases);
    } finally {
      await spool.dispose();
    }
    const dir = (spool as unknown as { dir: string }).dir;
    expect(fs.existsSync(dir)).toBe(false);
  });
});
