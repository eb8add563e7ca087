import fs from 'fs';
import os from 'os';
import path from 'path';
import type { NewTestCase } from '../database/MlInfraStore';
import { LineSplitter } from '../parsers/readLines';

/**
 * Characters of cases held in memory before the spool moves them to a temp file: names, distinct
 * suites and output, plus {@link CASE_OVERHEAD_CHARS} per case for the object itself; a few
 * thousand cases. Most reports fit, and skip the temp file's cost (about 1 ms per upload,
 * measured for 60 cases: mkdtemp, write, read back, rm); a big one costs memory no more than this.
 */
const MEMORY_CHARS = 1024 * 1024;
/** What a held case costs beyond its strings, counted in characters (an estimate). */
const CASE_OVERHEAD_CHARS = 96;
/** Bytes of encoded cases gathered before they are written out. */
const FLUSH_CHARS = 1 << 20;
/** Longest spooled line: a case's capped output, JSON-escaped, stays far below it. */
const MAX_SPOOLED_LINE_BYTES = 64 * 1024 * 1024;

interface SpoolFile {
  dir: string;
  file: string;
  fd?: number;
}

/**
 * The test cases of one upload on their way from the parser to the database. The parse finishes
 * (and can still fail) before anything is written to the database, so the write transaction stays
 * short and never waits on a slow uploader.
 *
 * The cases of an ordinary report are held in memory. Past about {@link MEMORY_CHARS} they move
 * to a temp file, one JSON line per case, and every later case goes there too: a report of
 * 500,000 cases (or a 1 GB stream) costs the process a buffer, not the cases. `add` is
 * synchronous (the parsers hand cases over from within a chunk) and writes with `fs.writeSync`
 * once about a megabyte has gathered.
 */
export class TestCaseSpool {
  private held: NewTestCase[] = [];
  private heldChars = 0;
  private lastSuite: string | undefined;
  private spool: SpoolFile | undefined;
  private pending = '';
  private count = 0;

  private constructor(private readonly memoryChars: number) {}

  /**
   * A new, empty spool; `dispose` it when done, also on failure. `memoryChars` (for tests) is
   * how much it holds in memory before it moves to a file.
   */
  static create(options?: { memoryChars?: number }): TestCaseSpool {
    return new TestCaseSpool(options?.memoryChars ?? MEMORY_CHARS);
  }

  get size(): number {
    return this.count;
  }

  /** Whether the cases outgrew memory and went to a temp file. */
  get spilled(): boolean {
    return this.spool !== undefined;
  }

  add(testCase: NewTestCase): void {
    // Only what the store keeps (not e.g. JUnit properties).
    const kept: NewTestCase = {
      name: testCase.name,
      suite: testCase.suite,
      status: testCase.status,
      durationMs: testCase.durationMs,
      output: testCase.output,
      outputTruncated: testCase.outputTruncated,
      attempts: testCase.attempts,
      flaky: testCase.flaky,
    };
    this.count += 1;
    if (this.spool) {
      this.write(kept);
      return;
    }
    this.held.push(kept);
    // Cases of one suite share its name: count it once per run of cases.
    this.heldChars +=
      CASE_OVERHEAD_CHARS +
      kept.name.length +
      (kept.suite === this.lastSuite ? 0 : kept.suite.length) +
      (kept.output?.length ?? 0);
    this.lastSuite = kept.suite;
    if (this.heldChars > this.memoryChars) {
      this.spill();
    }
  }

  /** The cases in the order they were added, in batches; as often as asked (a retry reads again). */
  async *read(): AsyncGenerator<NewTestCase[]> {
    if (!this.spool) {
      if (this.held.length > 0) {
        yield this.held;
      }
      return;
    }
    this.flush();
    if (this.spool.fd !== undefined) {
      fs.closeSync(this.spool.fd);
      this.spool.fd = undefined;
    }
    let batch: NewTestCase[] = [];
    const splitter = new LineSplitter(MAX_SPOOLED_LINE_BYTES, line => {
      if (line) {
        batch.push(JSON.parse(line) as NewTestCase);
      }
    });
    const file = fs.createReadStream(this.spool.file, {
      highWaterMark: 256 * 1024,
    });
    for await (const chunk of file) {
      splitter.push(chunk);
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    splitter.end();
    if (batch.length > 0) {
      yield batch;
    }
  }

  async dispose(): Promise<void> {
    this.held = [];
    this.pending = '';
    const spool = this.spool;
    if (!spool) {
      return;
    }
    if (spool.fd !== undefined) {
      fs.closeSync(spool.fd);
      spool.fd = undefined;
    }
    await fs.promises.rm(spool.dir, { recursive: true, force: true });
  }

  /** Moves the held cases to a new temp file, where every later case goes too. */
  private spill() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-infra-cases-'));
    const file = path.join(dir, 'cases.jsonl');
    this.spool = { dir, file, fd: fs.openSync(file, 'w', 0o600) };
    const held = this.held;
    this.held = [];
    this.heldChars = 0;
    for (const testCase of held) {
      this.write(testCase);
    }
  }

  private write(testCase: NewTestCase) {
    this.pending += `${JSON.stringify(testCase)}\n`;
    if (this.pending.length >= FLUSH_CHARS) {
      this.flush();
    }
  }

  private flush() {
    if (this.pending.length > 0 && this.spool?.fd !== undefined) {
      fs.writeSync(this.spool.fd, this.pending);
      this.pending = '';
    }
  }
}
