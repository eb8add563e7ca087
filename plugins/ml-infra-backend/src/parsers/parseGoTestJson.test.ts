import { InputError } from '@backstage/errors';
import { chunked, fixture, repeated } from './__fixtures__/input';
import { parseGoTestJson, streamGoTestJson } from './parseGoTestJson';
import { ParsedTestCase } from './types';
import { DEFAULT_PARSE_LIMITS } from './types';

const PKG = 'github.com/acme/terraform-aws-gpu-cluster/test';
const event = (e: object) => `${JSON.stringify(e)}\n`;

describe('parseGoTestJson', () => {
  it('parses a Terratest stream with parallel subtests, skips and OutputType', async () => {
    const report = await parseGoTestJson(fixture('go-test-terratest.jsonl'));
    expect(report.format).toBe('go-test-json');
    expect(report.totals).toEqual({
      total: 5,
      passed: 2,
      failed: 2,
      skipped: 1,
    });
    expect(report.durationMs).toBe(1330);
    expect(report.packageFailures).toEqual([]);
    expect(report.ignoredLines).toBe(0);
    expect(report.cases.map(c => [c.name, c.status, c.durationMs])).toEqual([
      ['TestGpuClusterPlan', 'failed', 70],
      ['TestServingEndpoint', 'passed', 1250],
      ['TestApplyOnlyInNightly', 'skipped', 0],
      ['TestGpuClusterPlan/a100_pool', 'failed', 20],
      ['TestGpuClusterPlan/l4_pool', 'passed', 10],
    ]);
    const a100 = report.cases.find(
      c => c.name === 'TestGpuClusterPlan/a100_pool',
    )!;
    expect(a100).toMatchObject({ suite: PKG, attempts: 1, flaky: false });
    expect(a100.output).toContain('Not equal: expected: "p4d.24xlarge"');
    expect(a100.outputTruncated).toBeUndefined();
    // Output of passed and skipped tests is dropped.
    expect(
      report.cases
        .filter(c => c.status !== 'failed')
        .every(c => c.output === undefined),
    ).toBe(true);
  });

  it('gives the same report however the stream is chunked', async () => {
    const whole = await parseGoTestJson(fixture('go-test-terratest.jsonl'));
    const text = await new Promise<string>((resolve, reject) => {
      let s = '';
      fixture('go-test-terratest.jsonl')
        .on('data', d => (s += d))
        .on('end', () => resolve(s))
        .on('error', reject);
    });
    await expect(parseGoTestJson(chunked(text, 13))).resolves.toEqual(whole);
  });

  it('streams each case once it is final and counts what a later rerun supersedes', async () => {
    const stream = [
      event({ Action: 'start', Package: PKG }),
      event({ Action: 'run', Package: PKG, Test: 'TestA' }),
      event({ Action: 'run', Package: PKG, Test: 'TestB' }),
      event({ Action: 'pass', Package: PKG, Test: 'TestB', Elapsed: 0.2 }),
      event({
        Action: 'output',
        Package: PKG,
        Test: 'TestA',
        Output: 'boom\n',
      }),
      event({ Action: 'fail', Package: PKG, Test: 'TestA', Elapsed: 0.1 }),
      event({
        Action: 'output',
        Package: PKG,
        Test: 'TestA',
        Output: 'after the fail\n',
      }),
      event({ Action: 'fail', Package: PKG, Elapsed: 1 }),
      // gotestsum --rerun-fails: the failed test again, in a later run of its package
      event({ Action: 'start', Package: PKG }),
      event({ Action: 'run', Package: PKG, Test: 'TestA' }),
      event({ Action: 'pass', Package: PKG, Test: 'TestA', Elapsed: 0.3 }),
      event({ Action: 'pass', Package: PKG, Elapsed: 1 }),
    ].join('');
    const handed: Array<[number, Partial<ParsedTestCase>]> = [];
    const report = await streamGoTestJson(
      chunked(stream, 7),
      DEFAULT_PARSE_LIMITS,
      (c, index) =>
        handed.push([
          index,
          {
            name: c.name,
            status: c.status,
            attempts: c.attempts,
            flaky: c.flaky,
            output: c.output,
          },
        ]),
    );
    expect(handed).toEqual([
      // A passed test is handed over at once; a failed one when its package ends, with all its output.
      [
        1,
        {
          name: 'TestB',
          status: 'passed',
          attempts: 1,
          flaky: false,
          output: undefined,
        },
      ],
      [
        0,
        {
          name: 'TestA',
          status: 'failed',
          attempts: 1,
          flaky: false,
          output: 'boom\nafter the fail\n',
        },
      ],
      [
        0,
        {
          name: 'TestA',
          status: 'passed',
          attempts: 2,
          flaky: true,
          output: undefined,
        },
      ],
    ]);
    expect(report).toMatchObject({
      totals: { total: 2, passed: 2, failed: 0, skipped: 0 },
      flaky: 1,
      superseded: 1,
      packageFailures: [],
    });
    expect(
      (await parseGoTestJson(chunked(stream, 7))).cases.map(c => [
        c.name,
        c.status,
        c.attempts,
      ]),
    ).toEqual([
      ['TestA', 'passed', 2],
      ['TestB', 'passed', 1],
    ]);
  });

  it('treats reruns in one stream as attempts: fail then pass is flaky, the last attempt decides', async () => {
    const report = await parseGoTestJson(fixture('go-test-rerun-flaky.jsonl'));
    expect(report.totals).toEqual({
      total: 2,
      passed: 1,
      failed: 1,
      skipped: 0,
    });
    expect(report.ignoredLines).toBe(2);
    const [online, offline] = report.cases;
    expect(online).toMatchObject({
      name: 'TestOnlineStoreReachable',
      status: 'passed',
      attempts: 2,
      flaky: true,
      durationMs: 4200,
    });
    expect(online.output).toBeUndefined();
    expect(offline).toMatchObject({
      status: 'failed',
      attempts: 2,
      flaky: false,
      durationMs: 1900,
    });
    expect(offline.output).toContain('bucket policy still allows public reads');
    expect(offline.output).not.toContain(
      'FAIL: TestOfflineStoreBucket (2.00s)',
    );
    expect(report.packageFailures).toEqual([]);
  });

  it('reports build failures from build-fail events and FAIL [build failed] lines', async () => {
    const report = await parseGoTestJson(fixture('go-test-build-failed.jsonl'));
    expect(report.totals).toEqual({
      total: 1,
      passed: 1,
      failed: 0,
      skipped: 0,
    });
    expect(report.ignoredLines).toBe(4);
    expect(report.packageFailures.map(f => f.suite)).toEqual([
      'github.com/acme/terraform-gcp-vertex-endpoint/modules/iam',
      'github.com/acme/terraform-gcp-vertex-endpoint/test',
    ]);
    expect(report.packageFailures[0].output).toContain(
      'syntax error: unexpected }',
    );
    expect(report.packageFailures[1].output).toContain('[build failed]');
  });

  it('fails tests left running by a timeout panic or a cut-off stream, with a note', async () => {
    const report = await parseGoTestJson(
      fixture('go-test-panic-timeout.jsonl'),
    );
    expect(report.totals).toEqual({
      total: 2,
      passed: 0,
      failed: 2,
      skipped: 0,
    });
    const [timedOut, cutOff] = report.cases;
    expect(timedOut.output).toContain('panic: test timed out after 30m0s');
    expect(timedOut.output).toContain('before its package finished');
    expect(cutOff.output).toContain('before the stream ended');
    // The package failure is explained by the failed test.
    expect(report.packageFailures).toEqual([]);
  });

  it('reports a package failing with no failed test (TestMain, os.Exit)', async () => {
    const report = await parseGoTestJson(
      chunked(
        event({ Action: 'start', Package: 'p' }) +
          event({
            Action: 'output',
            Package: 'p',
            Output: 'main: missing AWS_REGION\n',
          }) +
          event({ Action: 'fail', Package: 'p', Elapsed: 0.01 }),
      ),
    );
    expect(report.totals.total).toBe(0);
    expect(report.packageFailures).toEqual([
      { suite: 'p', output: 'main: missing AWS_REGION\n' },
    ]);
  });

  it('accepts events without Time and Package', async () => {
    const report = await parseGoTestJson(
      chunked(
        `${event({ Action: 'run', Test: 'TestA' })}${event({
          Action: 'pass',
          Test: 'TestA',
          Elapsed: 0.5,
        })}\r\n`,
      ),
    );
    expect(report.cases).toEqual([
      {
        name: 'TestA',
        suite: '',
        status: 'passed',
        attempts: 1,
        flaky: false,
        durationMs: 500,
      },
    ]);
    expect(report.durationMs).toBeUndefined();
  });

  it('caps the output of a failed test to head and tail halves', async () => {
    async function* noisy() {
      yield event({ Action: 'run', Package: 'p', Test: 'TestNoisy' });
      for (let i = 0; i < 2000; i++) {
        yield event({
          Action: 'output',
          Package: 'p',
          Test: 'TestNoisy',
          Output: `line ${i} ${'.'.repeat(80)}\n`,
        });
      }
      yield event({
        Action: 'fail',
        Package: 'p',
        Test: 'TestNoisy',
        Elapsed: 1,
      });
    }
    const report = await parseGoTestJson(noisy(), {
      ...DEFAULT_PARSE_LIMITS,
      outputCapBytes: 1024,
    });
    const [noisyCase] = report.cases;
    expect(noisyCase.outputTruncated).toBe(true);
    expect(noisyCase.output).toMatch(/^line 0 /);
    expect(noisyCase.output).toMatch(/line 1999 \.+\n$/);
    expect(noisyCase.output).toMatch(/… \d+ bytes truncated …/);
    expect(Buffer.byteLength(noisyCase.output!)).toBeLessThan(1100);
  });

  it('rejects a 50 MB line over maxLineBytes without buffering it', async () => {
    const input = repeated(
      '{"Action":"output","Output":"',
      'x'.repeat(1024 * 1024),
      50,
      '"}\n',
    );
    await expect(
      parseGoTestJson(input, {
        ...DEFAULT_PARSE_LIMITS,
        maxLineBytes: 1024 * 1024,
      }),
    ).rejects.toThrow(
      new InputError(
        'Line 1 is longer than the limit of 1048576 bytes (maxLineBytes)',
      ),
    );
  });

  it('accepts long lines within maxLineBytes', async () => {
    const long = 'y'.repeat(200_000);
    const report = await parseGoTestJson(
      chunked(
        event({ Action: 'run', Test: 'TestLong' }) +
          event({ Action: 'output', Test: 'TestLong', Output: long }) +
          event({ Action: 'fail', Test: 'TestLong' }),
        65536,
      ),
      { ...DEFAULT_PARSE_LIMITS, maxLineBytes: 256 * 1024 },
    );
    expect(report.cases[0].outputTruncated).toBe(true);
  });

  it.each([
    [
      'a line starting with { that is not JSON',
      `${event({ Action: 'start' })}{"Action":"run",\n`,
      /^Line 2 starts with "\{" but is not valid JSON/,
    ],
    [
      'truncated NDJSON',
      `${event({ Action: 'run', Test: 'T' })}{"Action":"pass","Te`,
      /^Line 2 starts with "\{" but is not valid JSON/,
    ],
    [
      'JSON that is not an event',
      '{"foo":1}\n',
      /^Line 1 is JSON but not a go test -json event/,
    ],
    [
      'an Action that is not a string',
      '{"Action":3}\n',
      /^Line 1 is JSON but not a go test -json event/,
    ],
    [
      'no events at all',
      'ok  \tgithub.com/acme/x\t0.01s\nPASS\n',
      /^No go test -json events found/,
    ],
    ['an empty body', '', /^No go test -json events found/],
    [
      'a pretty-printed JSON document',
      '{\n  "format_version": "1.0"\n}\n',
      /^Line 1 starts with "\{" but is not valid JSON/,
    ],
  ])('rejects %s', async (_name, text, message) => {
    const error = await parseGoTestJson(chunked(text)).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });

  it('rejects invalid UTF-8 naming the line', async () => {
    const bytes = Buffer.concat([
      Buffer.from(event({ Action: 'run', Test: 'T' })),
      Buffer.from('{"Action":"output","Test":"T","Output":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]);
    await expect(parseGoTestJson(chunked(bytes))).rejects.toThrow(
      new InputError('Line 2 is not valid UTF-8'),
    );
  });

  it('enforces maxTestCases', async () => {
    async function* many() {
      for (let i = 0; i < 20; i++) {
        yield event({ Action: 'run', Test: `Test${i}` });
      }
    }
    await expect(
      parseGoTestJson(many(), { ...DEFAULT_PARSE_LIMITS, maxTestCases: 10 }),
    ).rejects.toThrow('more than 10 tests (maxTestCases)');
  });
});
