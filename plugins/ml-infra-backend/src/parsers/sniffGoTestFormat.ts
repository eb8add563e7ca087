import { ParserInput } from './types';

/** How much of an upload is read, at most, to tell `go test -json` from plain `go test -v`. */
const SNIFF_BYTES = 64 * 1024;
const TEXT_MARKER =
  /^\s*(=== (RUN|PAUSE|CONT) |--- (PASS|FAIL|SKIP): |(ok|FAIL)\s+\S+\s+(\d+(\.\d+)?s|\(cached\)))/;

/**
 * Tells a `go test -json` stream from plain `go test -v` text by the first line that is either
 * a JSON event or a go test marker (both may start with build output such as `# pkg`), reading
 * at most 64 KiB; undecided means JSON. The returned input replays what was read.
 */
export async function sniffGoTestFormat(
  input: ParserInput,
): Promise<{ format: 'go-test-json' | 'go-test'; input: ParserInput }> {
  const iterator = input[Symbol.asyncIterator]();
  const seen: Array<Buffer | string> = [];
  let text = '';
  let format: 'go-test-json' | 'go-test' | undefined;
  let done = false;
  while (!format && !done && text.length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
    } else {
      seen.push(next.value);
      text += next.value.toString();
    }
    const lines = text.split('\n');
    for (const line of done ? lines : lines.slice(0, -1)) {
      if (line.trimStart().startsWith('{')) {
        format = 'go-test-json';
      } else if (TEXT_MARKER.test(line)) {
        format = 'go-test';
      }
      if (format) break;
    }
  }
  async function* replay() {
    yield* seen;
    if (!done) {
      for (
        let next = await iterator.next();
        !next.done;
        next = await iterator.next()
      ) {
        yield next.value;
      }
    }
  }
  return { format: format ?? 'go-test-json', input: replay() };
}
