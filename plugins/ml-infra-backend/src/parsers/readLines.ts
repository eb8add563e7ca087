/**
 * Bounded line splitter for line-oriented uploads (`go test -json`, `terraform plan -json`).
 *
 * Yields each line (without `\n` / `\r\n`) decoded as strict UTF-8 with its 1-based number. It
 * never holds more than `maxLineBytes` of a pending line: a longer line is rejected as soon as
 * the limit is crossed, so a hostile single-line upload cannot exhaust memory.
 *
 * `LineSplitter` is the synchronous core: it hands every complete line of a chunk to a callback
 * without a promise per line (the hot path of `go test -json` ingestion); `readLines` wraps it
 * as an async generator.
 */
import { isAscii, isUtf8 } from 'buffer';
import { InputError } from '@backstage/errors';
import { ParserInput } from './types';

export interface Line {
  line: string;
  lineNumber: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Splits chunks into strict UTF-8 lines, calling `onLine` synchronously, in order, for each
 * complete line. Errors (a line over `maxLineBytes`, invalid UTF-8) and errors thrown by
 * `onLine` propagate out of `push` / `end` at the line they concern, after every earlier line
 * was handled.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNumber = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string, lineNumber: number) => void,
  ) {}

  /** Feed the next chunk. */
  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const length = buf.length;
    const maxLineBytes = this.maxLineBytes;
    let start = 0;

    if (this.pending.length) {
      // Finish the line carried over from earlier chunks (rare: once per chunk at most).
      const nl = buf.indexOf(NEWLINE);
      const end = nl === -1 ? length : nl;
      const counted =
        nl !== -1 && end > 0 && buf[end - 1] === CARRIAGE_RETURN
          ? end - 1
          : end;
      if (this.pendingBytes + counted > maxLineBytes) {
        throw this.tooLong();
      }
      if (nl === -1) {
        if (length > 0) {
          // Copy: the caller may reuse its chunk buffers.
          this.pending.push(Buffer.from(buf));
          this.pendingBytes += length;
        }
        return;
      }
      this.takePending(buf.subarray(0, end));
      start = nl + 1;
    }

    if (start >= length) {
      return;
    }
    // Validate all complete lines of the chunk at once; only an invalid chunk checks per line
    // (so the error still names the right line, after every earlier line was handled).
    // A pure-ASCII region (the usual case) is valid and decodes as latin1, the cheapest way.
    const lastNl = buf.lastIndexOf(NEWLINE);
    const ascii = lastNl >= start && isAscii(buf.subarray(start, lastNl));
    const allValid =
      lastNl < start || ascii || isUtf8(buf.subarray(start, lastNl));
    const encoding = ascii ? 'latin1' : 'utf8';
    const onLine = this.onLine;

    for (;;) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl === -1) {
        break;
      }
      // A trailing \r is part of the line terminator, not of the line's length.
      let end = nl;
      if (end > start && buf[end - 1] === CARRIAGE_RETURN) {
        end -= 1;
      }
      if (end - start > maxLineBytes) {
        throw this.tooLong();
      }
      const lineNumber = ++this.lineNumber;
      if (!allValid && !isUtf8(buf.subarray(start, end))) {
        throw new InputError(`Line ${lineNumber} is not valid UTF-8`);
      }
      // As TextDecoder does for each decode() call: a leading byte order mark is dropped.
      let from = start;
      if (
        end - from >= 3 &&
        buf[from] === 0xef &&
        buf[from + 1] === 0xbb &&
        buf[from + 2] === 0xbf
      ) {
        from += 3;
      }
      onLine(from === end ? '' : buf.toString(encoding, from, end), lineNumber);
      start = nl + 1;
    }

    if (start < length) {
      if (length - start > maxLineBytes) {
        throw this.tooLong();
      }
      // Copy: the caller may reuse its chunk buffers.
      this.pending.push(Buffer.from(buf.subarray(start)));
      this.pendingBytes = length - start;
    }
  }

  /** Flush the last line when the input does not end with a newline. */
  end(): void {
    if (this.pendingBytes > 0) {
      this.takePending(EMPTY);
    }
  }

  private takePending(last: Buffer): void {
    const lineNumber = ++this.lineNumber;
    let bytes = Buffer.concat([...this.pending, last]);
    this.pending = [];
    this.pendingBytes = 0;
    if (bytes.length && bytes[bytes.length - 1] === CARRIAGE_RETURN) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    let line: string;
    try {
      line = this.decoder.decode(bytes);
    } catch {
      throw new InputError(`Line ${lineNumber} is not valid UTF-8`);
    }
    this.onLine(line, lineNumber);
  }

  private tooLong(): InputError {
    return new InputError(
      `Line ${this.lineNumber + 1} is longer than the limit of ${
        this.maxLineBytes
      } bytes (maxLineBytes)`,
    );
  }
}

export async function* readLines(
  input: ParserInput,
  maxLineBytes: number,
): AsyncGenerator<Line> {
  let lines: Line[] = [];
  const splitter = new LineSplitter(maxLineBytes, (line, lineNumber) => {
    lines.push({ line, lineNumber });
  });
  const drain = function* drainLines(error: unknown) {
    const ready = lines;
    lines = [];
    yield* ready;
    if (error !== undefined) {
      throw error;
    }
  };

  for await (const chunk of input) {
    let error: unknown;
    try {
      splitter.push(chunk);
    } catch (e) {
      error = e;
    }
    yield* drain(error);
  }
  let error: unknown;
  try {
    splitter.end();
  } catch (e) {
    error = e;
  }
  yield* drain(error);
}
