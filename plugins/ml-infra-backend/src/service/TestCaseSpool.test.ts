import fs from 'fs';
import { NewTestCase } from '../database/MlInfraStore';
import { TestCaseSpool } from './TestCaseSpool';

async function all(source: AsyncIterable<NewTestCase[]>) {
  const out: NewTestCase[] = [];
  for await (const batch of source) out.push(...batch);
  return out;
}

/** The spool's temp file, when it has one. */
const fileOf = (spool: TestCaseSpool) =>
  (spool as unknown as { spool?: { dir: string; file: string } }).spool;

const cases: NewTestCase[] = Array.from({ length: 5000 }, (_, i) => ({
  name: `Test${i}/line\nbreak\t✓ 🚀 "quoted" \\ \u2028`,
  suite: 'example.com/mod/test',
  status: i % 3 === 0 ? 'failed' : 'passed',
  durationMs: i,
  ...(i % 3 === 0 ? { output: 'x'.repeat(i), outputTruncated: true } : {}),
  attempts: 1 + (i % 2),
  flaky: i % 5 === 0,
}));

describe('TestCaseSpool', () => {
  it('holds an ordinary report in memory and gives it back in order, as often as asked', async () => {
    const spool = TestCaseSpool.create({ memoryChars: 64 * 1024 * 1024 });
    try {
      for (const c of cases) spool.add(c);
      expect(spool.size).toBe(5000);
      expect(spool.spilled).toBe(false);
      expect(fileOf(spool)).toBeUndefined();
      // A retried transaction reads the cases again.
      expect(await all(spool.read())).toEqual(cases);
      expect(await all(spool.read())).toEqual(cases);
    } finally {
      await spool.dispose();
    }
  });

  it('moves to a temp file past its memory budget, keeps the order, and leaves nothing behind', async () => {
    // The budget is crossed part-way: the held cases go to the file first, then the rest.
    const spool = TestCaseSpool.create({ memoryChars: 200_000 });
    try {
      for (const c of cases.slice(0, 100)) spool.add(c);
      expect(spool.spilled).toBe(false);
      for (const c of cases.slice(100)) spool.add(c);
      expect(spool.spilled).toBe(true);
      expect(fs.existsSync(fileOf(spool)!.file)).toBe(true);
      expect(spool.size).toBe(5000);
      expect(await all(spool.read())).toEqual(cases);
      expect(await all(spool.read())).toEqual(cases);
    } finally {
      await spool.dispose();
    }
    expect(fs.existsSync(fileOf(spool)!.dir)).toBe(false);
  });

  it('keeps only the fields the store saves', async () => {
    const spool = TestCaseSpool.create();
    try {
      spool.add({
        ...cases[1],
        properties: { 'go.version': 'go1.23' },
      } as NewTestCase);
      const [read] = await all(spool.read());
      expect(read).toEqual(cases[1]);
      expect(read).not.toHaveProperty('properties');
    } finally {
      await spool.dispose();
    }
  });
});
