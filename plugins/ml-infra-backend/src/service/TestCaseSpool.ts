import fs from 'fs';
import os from 'os';
import path from 'path';
import type { NewTestCase } from '../database/MlInfraStore';
import { LineSplitter } from '../parsers/readLines';

/** Bytes of encoded cases gathered before they are written out. */
const FLUSH_CHARS = 1 << 20;
/** Longest spooled line: a case's capped output, JSON-escaped, stays far below it. */
const MAX_SPOOLED_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The test cases of one upload on their way from the parser to the database, in a temp file
 * rather than in memory: a report of 500,000 cases (or a 1 GB stream) costs the process a
 * buffer, not the cases. The parse finishes (and can still fail) before anything is written to
 * the database, so the write transaction stays short and never waits on a slow uploader.
 *
 * One JSON line per case; `add` is synchronous (the parsers hand cases over from within a
 * chunk) and writes with `fs.writeSync` once about a megabyte has gathered.
 */
export class TestCaseSpool {
  private readonly dir: string;
  private readonly file: string;
  private fd: number | undefined;
  private pending = '';
  private count = 0;

  private constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-infra-cases-'));
    this.file = path.join(this.dir, 'cases.jsonl');
    this.fd = fs.openSync(this.file, 'w', 0o600);
  }

  /** A new, empty spool; `dispose` it when done, also on failure. */
  static create(): TestCaseSpool {
    return new TestCaseSpool();
  }

  get size(): number {
    return this.count;
  }

  add(testCase: NewTestCase): void {
    // Only what the store keeps (not e.g. JUnit properties).
    this.pending += `${JSON.stringify({
      name: testCase.name,
      suite: testCase.suite,
      status: testCase.status,
      durationMs: testCase.durationMs,
      output: testCase.output,
      outputTruncated: testCase.outputTruncated,
      attempts: testCase.attempts,
      flaky: testCase.flaky,
    })}\n`;
    this.count += 1;
    if (this.pending.length >= FLUSH_CHARS) {
      this.flush();
    }
  }

  /** The cases in the order they were added, in batches (one per chunk of the file read). */
  async *read(): AsyncGenerator<NewTestCase[]> {
    this.flush();
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    let batch: NewTestCase[] = [];
    const splitter = new LineSplitter(MAX_SPOOLED_LINE_BYTES, line => {
      if (line) {
        batch.push(JSON.parse(line) as NewTestCase);
      }
    });
    const file = fs.createReadStream(this.file, { highWaterMark: 256 * 1024 });
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
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    this.pending = '';
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }

  private flush() {
    if (this.pending.length > 0 && this.fd !== undefined) {
      fs.writeSync(this.fd, this.pending);
      this.pending = '';
    }
  }
}
