import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes what needs quoting and leaves numbers alone', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [-1, undefined],
          ['line\nbreak', '@cmd'],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n-1,\r\n"line\nbreak",\'@cmd');
  });
});
