import { InputError } from '@backstage/errors';
import { chunked, repeated } from './__fixtures__/input';
import { parseGoTestText, streamGoTestText } from './parseGoTestText';
import { sniffGoTestFormat } from './sniffGoTestFormat';
import { DEFAULT_PARSE_LIMITS } from './types';

// go test -v of a Terratest package (Go ≥ 1.14 prints logs inline), then a second package.
const TWO_PACKAGES = `=== RUN   TestPlan
=== RUN   TestPlan/gpu_pool
    plan_test.go:31: planned 12 resources
=== RUN   TestPlan/network
    plan_test.go:40: expected private subnets
--- FAIL: TestPlan (1.60s)
    --- PASS: TestPlan/gpu_pool (1.50s)
    --- FAIL: TestPlan/network (0.10s)
=== RUN   TestApply
    apply_test.go:12: apply tests need -tags=apply
--- SKIP: TestApply (0.00s)
FAIL
exit status 1
FAIL\tgithub.com/acme/terraform-aws-gpu/test\t2.104s
=== RUN   TestTags
--- PASS: TestTags (0.01s)
PASS
ok  \tgithub.com/acme/terraform-aws-gpu/modules/tags\t0.020s
`;

describe('parseGoTestText', () => {
  it('reads results, subtests, durations, messages and the package of each test', async () => {
    const report = await parseGoTestText(chunked(TWO_PACKAGES));
    expect(report.format).toBe('go-test');
    expect(report.totals).toEqual({
      total: 5,
      passed: 2,
      failed: 2,
      skipped: 1,
    });
    expect(report.durationMs).toBe(2124);
    expect(report.packageFailures).toEqual([]);
    expect(
      report.cases.map(c => [
        c.suite.split('/').pop(),
        c.name,
        c.status,
        c.durationMs,
      ]),
    ).toEqual([
      ['test', 'TestPlan', 'failed', 1600],
      ['test', 'TestPlan/gpu_pool', 'passed', 1500],
      ['test', 'TestPlan/network', 'failed', 100],
      ['test', 'TestApply', 'skipped', 0],
      ['tags', 'TestTags', 'passed', 10],
    ]);
    expect(report.cases[2].output).toBe(
      '    plan_test.go:40: expected private subnets\n',
    );
    // Passing tests keep no output.
    expect(report.cases[1].output).toBeUndefined();
  });

  it('takes the messages older Go prints under the result line, and fails what a panic cut short', async () => {
    const report = await parseGoTestText(
      chunked(`=== RUN   TestA
=== PAUSE TestA
=== RUN   TestB
--- FAIL: TestB (0.00s)
    b_test.go:9: Error: expected value not to be nil.
=== CONT  TestA
panic: runtime error: invalid memory address [recovered]
goroutine 7 [running]:
exit status 2
FAIL\tgithub.com/acme/x\t0.020s
`),
    );
    expect(report.cases.map(c => [c.name, c.status, c.output])).toEqual([
      ['TestA', 'failed', expect.stringContaining('panic: runtime error')],
      [
        'TestB',
        'failed',
        '    b_test.go:9: Error: expected value not to be nil.\n',
      ],
    ]);
  });

  it('reports a package that failed without any test (a build error) as a package failure', async () => {
    const report = await parseGoTestText(
      chunked(`# github.com/acme/x
./main.go:3:2: undefined: foo
FAIL\tgithub.com/acme/x [build failed]
=== RUN   TestOk
--- PASS: TestOk (0.00s)
ok  \tgithub.com/acme/y\t0.01s
`),
    );
    expect(report.packageFailures).toEqual([
      {
        suite: 'github.com/acme/x',
        output: expect.stringContaining('undefined: foo'),
      },
    ]);
    expect(report.totals).toEqual({
      total: 1,
      passed: 1,
      failed: 0,
      skipped: 0,
    });
  });

  it.each([
    ['TAP', 'TAP version 13\n1..2\nok 1 - plan\nnot ok 2 - apply\n'],
    ['free text', 'hello\nworld\n'],
  ])('refuses %s, naming the formats it accepts', async (_name, text) => {
    const error = await parseGoTestText(chunked(text)).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /accepted: go test -json .*plain go test -v output .*JUnit XML .*TAP and other formats are not supported/,
    );
  });

  it('hands each package over once it ends, so memory does not grow with the log', async () => {
    const lines = 20_000;
    const seen: number[] = [];
    const report = await streamGoTestText(
      repeated(
        '',
        '=== RUN   TestX\n--- PASS: TestX (0.00s)\nok  \tpkg\t0.001s\n',
        lines,
      ),
      DEFAULT_PARSE_LIMITS,
      (_testCase, index) => seen.push(index),
    );
    expect(report.totals.total).toBe(lines);
    expect(seen).toHaveLength(lines);
  });

  it('stops at maxTestCases', async () => {
    await expect(
      parseGoTestText(chunked(TWO_PACKAGES), {
        ...DEFAULT_PARSE_LIMITS,
        maxTestCases: 3,
      }),
    ).rejects.toThrow('More than 3 test cases in one report');
  });
});

describe('sniffGoTestFormat', () => {
  const text = async (input: AsyncIterable<Buffer | string>) => {
    let all = '';
    for await (const chunk of input) all += chunk.toString();
    return all;
  };

  it.each([
    [
      'go test -json after build lines',
      '# pkg\ngo: downloading x\n{"Action":"run","Test":"T"}\n',
      'go-test-json',
    ],
    [
      'plain go test -v',
      '# pkg\n=== RUN   TestX\n--- PASS: TestX (0.00s)\n',
      'go-test',
    ],
    ['a package line first', 'ok  \tgithub.com/acme/x\t0.01s\n', 'go-test'],
    [
      'TAP (left to the -json parser, which names the accepted formats)',
      'TAP version 13\nok 1 - a\n',
      'go-test-json',
    ],
  ])(
    'tells %s, and replays every byte it read',
    async (_name, body, format) => {
      const sniffed = await sniffGoTestFormat(chunked(body, 3));
      expect(sniffed.format).toBe(format);
      expect(await text(sniffed.input)).toBe(body);
    },
  );
});
