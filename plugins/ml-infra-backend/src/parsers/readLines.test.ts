import { InputError } from '@backstage/errors';
import { chunked } from './__fixtures__/input';
import { readLines } from './readLines';

async function collect(input: AsyncIterable<Buffer | string>, max = 1024) {
  const lines: Array<[number, string]> = [];
  for await (const { line, lineNumber } of readLines(input, max)) {
    lines.push([lineNumber, line]);
  }
  return lines;
}

describe('readLines', () => {
  it.each([1, 2, 3, 64])(
    'splits lines across chunks of %i bytes',
    async size => {
      await expect(collect(chunked('a\r\nbé\n\nlast', size))).resolves.toEqual([
        [1, 'a'],
        [2, 'bé'],
        [3, ''],
        [4, 'last'],
      ]);
    },
  );

  it('accepts string chunks and a trailing newline', async () => {
    async function* strings() {
      yield 'one\ntw';
      yield 'o\n';
    }
    await expect(collect(strings())).resolves.toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
  });

  it('accepts a line of exactly maxLineBytes', async () => {
    const lines = await collect(chunked(`${'x'.repeat(16)}\n`, 5), 16);
    expect(lines).toEqual([[1, 'x'.repeat(16)]]);
  });

  it('rejects a longer line as soon as the limit is crossed, naming line and limit', async () => {
    let pulled = 0;
    async function* huge() {
      yield 'ok\n';
      for (let i = 0; i < 50; i++) {
        pulled += 1;
        yield Buffer.alloc(1024 * 1024, 0x61);
      }
    }
    const error = await collect(huge(), 1024 * 1024).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'Line 2 is longer than the limit of 1048576 bytes (maxLineBytes)',
    );
    // It never buffered more than the limit: it stopped at the second megabyte.
    expect(pulled).toBe(2);
  });

  it('rejects invalid UTF-8 naming the line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('fine\n'),
      Buffer.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a]),
    ]);
    await expect(collect(chunked(bytes, 3))).rejects.toThrow(
      new InputError('Line 2 is not valid UTF-8'),
    );
  });
});
