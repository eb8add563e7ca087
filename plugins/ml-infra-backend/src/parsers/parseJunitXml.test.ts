import { InputError } from '@backstage/errors';
import { chunked, fixture, repeated } from './__fixtures__/input';
import { parseJunitXml } from './parseJunitXml';
import { DEFAULT_PARSE_LIMITS } from './types';

async function junitError(
  xml: string | AsyncIterable<string | Buffer>,
  limits = DEFAULT_PARSE_LIMITS,
) {
  const error = await parseJunitXml(
    typeof xml === 'string' ? chunked(xml, 50) : xml,
    limits,
  ).catch(e => e);
  expect(error).toBeInstanceOf(InputError);
  return error.message as string;
}

describe('parseJunitXml', () => {
  it('parses go-junit-report / terratest_log_parser output', async () => {
    const report = await parseJunitXml(fixture('junit-terratest.xml'));
    expect(report.format).toBe('junit');
    expect(report.totals).toEqual({
      total: 5,
      passed: 2,
      failed: 2,
      skipped: 1,
    });
    expect(report.durationMs).toBe(95417);
    expect(report.packageFailures).toEqual([]);
    expect(report.cases.map(c => [c.name, c.status, c.durationMs])).toEqual([
      ['TestGpuClusterPlan', 'failed', 61200],
      ['TestGpuClusterPlan/l4_pool', 'passed', 12000],
      ['TestApplyOnlyInNightly', 'skipped', 0],
      ['TestServingEndpoint', 'passed', 20100],
      ['TestExampleComplete', 'failed', 2117],
    ]);
    const [plan, l4, , serving, example] = report.cases;
    expect(plan.suite).toBe('github.com/acme/terraform-aws-gpu-cluster/test');
    expect(plan.output).toContain('Not equal: expected: "p4d.24xlarge"');
    expect(plan.output).toContain('Plan: 12 to add');
    expect(l4.output).toBeUndefined();
    expect(serving.properties).toEqual({ cloud: 'aws' });
    // <error> counts as failed; single-quoted attributes are read.
    expect(example.output).toBe(
      'Runtime error\npanic: runtime error: invalid memory address or nil pointer dereference\n',
    );
  });

  it('reads a <testsuite> root with the xsi namespace and Surefire reruns', async () => {
    const report = await parseJunitXml(fixture('junit-surefire-rerun.xml'));
    expect(report.durationMs).toBe(7500);
    expect(report.totals).toEqual({
      total: 3,
      passed: 2,
      failed: 1,
      skipped: 0,
    });
    const [flaky, failing] = report.cases;
    expect(flaky).toMatchObject({ status: 'passed', flaky: true, attempts: 2 });
    expect(flaky.output).toBeUndefined();
    expect(failing).toMatchObject({
      status: 'failed',
      flaky: false,
      attempts: 2,
    });
    // Once from the failure body (its message attribute is not repeated), once from the rerun.
    expect(failing.output!.match(/expected 403 but was 200/g)).toHaveLength(2);
    expect(failing.output).toContain(
      'unsigned model accepted: s3://models/llm-7b ✗',
    );
  });

  it('reports a suite-level error without testcases as a package failure', async () => {
    const report = await parseJunitXml(fixture('junit-suite-error.xml'));
    expect(report.totals.total).toBe(0);
    expect(report.packageFailures).toEqual([
      {
        suite: 'github.com/acme/terraform-gcp-vertex-endpoint/test',
        output:
          'Build failed\n./endpoint_test.go:17:2: undefined: terraform.InitAndPlanE\n',
      },
    ]);
  });

  it('caps kept output', async () => {
    const xml = `<testsuite name="s"><testcase name="t"><failure message="boom">${'line of output\n'.repeat(
      5000,
    )}</failure></testcase></testsuite>`;
    const report = await parseJunitXml(chunked(xml, 4096), {
      ...DEFAULT_PARSE_LIMITS,
      outputCapBytes: 2048,
    });
    expect(report.cases[0].outputTruncated).toBe(true);
    expect(report.cases[0].output).toMatch(/^boom\nline of output/);
    expect(report.cases[0].output).toMatch(/… \d+ bytes truncated …/);
  });

  describe('hostile input', () => {
    it('rejects a billion-laughs DOCTYPE before expanding anything', async () => {
      const xml = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<testsuites><testsuite name="&lol9;"/></testsuites>`;
      expect(await junitError(xml)).toBe(
        'DOCTYPE is not allowed in JUnit uploads',
      );
    });

    it('rejects an external entity DOCTYPE', async () => {
      const xml = `<?xml version="1.0"?><!DOCTYPE testsuites [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuites><testsuite name="&xxe;"/></testsuites>`;
      expect(await junitError(xml)).toBe(
        'DOCTYPE is not allowed in JUnit uploads',
      );
    });

    it('rejects an entity reference without a DOCTYPE as malformed', async () => {
      expect(
        await junitError('<testsuites><testsuite name="&xxe;"/></testsuites>'),
      ).toMatch(/^Malformed XML at line 1, column \d+: undefined entity/);
    });

    it('rejects 1,000-deep nesting', async () => {
      const xml = `<testsuites>${'<testsuite>'.repeat(
        1000,
      )}${'</testsuite>'.repeat(1000)}</testsuites>`;
      expect(await junitError(xml)).toMatch(
        /^XML nesting deeper than 64 levels at line 1, column \d+ \(maxXmlDepth\)$/,
      );
    });

    it('rejects too many attributes on one element', async () => {
      const attrs = Array.from({ length: 300 }, (_, i) => `a${i}="x"`).join(
        ' ',
      );
      expect(await junitError(`<testsuites ${attrs}/>`)).toMatch(
        /more than 256 attributes \(maxXmlAttributes\)/,
      );
    });

    it('rejects 500,000 testcases over maxTestCases', async () => {
      const input = repeated(
        '<testsuites><testsuite name="s">',
        '<testcase name="t" time="0.1"/>',
        500_000,
        '</testsuite></testsuites>',
      );
      expect(
        await junitError(input, {
          ...DEFAULT_PARSE_LIMITS,
          maxTestCases: 1000,
        }),
      ).toBe('The report has more than 1000 test cases (maxTestCases)');
    });

    it('rejects a text node longer than maxLineBytes', async () => {
      const input = repeated(
        '<testsuites><testsuite><system-out>',
        'x'.repeat(64 * 1024),
        100,
        '</system-out></testsuite></testsuites>',
      );
      expect(
        await junitError(input, {
          ...DEFAULT_PARSE_LIMITS,
          maxLineBytes: 1024 * 1024,
        }),
      ).toMatch(
        /^A text node at line 1, column \d+ is longer than 1048576 characters \(maxLineBytes\)$/,
      );
    });

    it('rejects invalid UTF-8', async () => {
      const bytes = Buffer.concat([
        Buffer.from('<testsuites>\n<testsuite name="'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"/></testsuites>'),
      ]);
      expect(await junitError(chunked(bytes, 1024))).toMatch(
        /^Invalid UTF-8 in the XML at line 2$/,
      );
    });
  });

  it.each([
    [
      'truncated XML',
      '<testsuites>\n  <testsuite name="a">\n    <testcase name="t"></testcase>\n  </testsu',
      /^Malformed XML at line 4, column \d+: /,
    ],
    [
      'mismatched tags',
      '<testsuites>\n<testsuite></testcase></testsuites>',
      /^Malformed XML at line 2, column \d+: unexpected close tag/,
    ],
    [
      'another root element',
      '<html><body/></html>',
      /^Expected a JUnit report with a <testsuites> or <testsuite> root element, got <html>$/,
    ],
    [
      'plain text (a raw go test log)',
      '=== RUN   TestA\n--- PASS: TestA (0.00s)\n',
      /^Expected JUnit XML/,
    ],
    ['an empty body', '  \n', /^No JUnit XML found/],
  ])('rejects %s', async (_name, xml, message) => {
    expect(await junitError(xml)).toMatch(message);
  });
});
