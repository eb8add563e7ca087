/**
 * Bounded line splitter for line-oriented uploads (`go test -json`, `terraform plan -json`).
 *
 * Yields each line (without `\n` / `\r\n`) decoded as strict UTF-8 with its 1-based number. It
 * never holds more than `maxLineBytes` of a pending line: a longer line is rejected as soon as
 * the limit is crossed, so a hostile single-line upload cannot exhaust memory.
 */
import { InputError } from '@backstage/errors';
import { ParserInput } from './types';

export interface Line {
  line: string;
  lineNumber: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export async function* readLines(
  input: ParserInput,
  maxLineBytes: number,
): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;

  const take = (last: Buffer): Line => {
    lineNumber += 1;
    let bytes = pending.length ? Buffer.concat([...pending, last]) : last;
    pending = [];
    pendingBytes = 0;
    if (bytes.length && bytes[bytes.length - 1] === CARRIAGE_RETURN) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    try {
      return { line: decoder.decode(bytes), lineNumber };
    } catch {
      throw new InputError(`Line ${lineNumber} is not valid UTF-8`);
    }
  };
  const tooLong = () =>
    new InputError(
      `Line ${lineNumber + 1} is longer than the limit of ${maxLineBytes} bytes (maxLineBytes)`,
    );

  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(NEWLINE, start);
      const end = nl === -1 ? buf.length : nl;
      // A trailing \r is part of the line terminator, not of the line's length.
      const segmentBytes = end - start;
      const counted =
        nl !== -1 && segmentBytes > 0 && buf[end - 1] === CARRIAGE_RETURN
          ? segmentBytes - 1
          : segmentBytes;
      if (pendingBytes + counted > maxLineBytes) {
        throw tooLong();
      }
      if (nl === -1) {
        // Copy: the caller may reuse its chunk buffers.
        pending.push(Buffer.from(buf.subarray(start)));
        pendingBytes += segmentBytes;
        break;
      }
      yield take(buf.subarray(start, end));
      start = nl + 1;
    }
  }
  if (pendingBytes > 0) {
    yield take(Buffer.alloc(0));
  }
}
