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

  it('escapes cells that start with a tab or a carriage return, numbers included', () => {
    expect(toCsv(['a', 'b', 'c'], [['\t=1+2', '\r5', '\t5']])).toBe(
      "a,b,c\r\n'\t=1+2,\"'\r5\",'\t5",
    );
  });
});
