import { InputError } from '@backstage/errors';
import { chunked, fixture } from './__fixtures__/input';
import { parseConftestJson } from './parseConftestJson';
import { DEFAULT_PARSE_LIMITS } from './types';

describe('parseConftestJson', () => {
  it('maps conftest --output json results, metadata and loc', async () => {
    const report = await parseConftestJson(fixture('conftest-current.json'));
    expect(report.format).toBe('conftest');
    expect(report.results).toEqual([
      {
        rule: 'ml_infra.gpu',
        severity: 'info',
        outcome: 'passed',
        filename: 'plan.json',
        count: 7,
      },
      {
        rule: 'MLI-GPU-001',
        control: 'COST-4',
        severity: 'critical',
        outcome: 'failed',
        message:
          'aws_eks_node_group.gpu: instance type p5.48xlarge is not in the allowed GPU families',
        resource: 'aws_eks_node_group.gpu',
        filename: 'policy/gpu.rego',
        line: 14,
        count: 1,
      },
      {
        rule: 'MLI-DATA-002',
        control: 'CIS-AWS-2.1.1',
        severity: 'high',
        outcome: 'failed',
        message:
          'aws_s3_bucket.datasets: server-side encryption is not enabled',
        resource: 'aws_s3_bucket.datasets',
        filename: 'plan.json',
        count: 1,
      },
      {
        rule: 'data.ml_infra.gpu.warn',
        severity: 'low',
        outcome: 'warned',
        message: 'aws_eks_node_group.gpu: missing tag cost-center',
        resource: 'aws_eks_node_group.gpu',
        filename: 'plan.json',
        count: 1,
      },
      {
        rule: 'ml_infra.gpu: no metadata at all',
        severity: 'medium',
        outcome: 'warned',
        message: 'no metadata at all',
        filename: 'plan.json',
        count: 1,
      },
      {
        rule: 'data.ml_infra.gpu.exception',
        severity: 'info',
        outcome: 'passed',
        message: 'exception: data.ml_infra.gpu.deny_public_endpoint',
        filename: 'plan.json',
        count: 1,
      },
    ]);
  });

  it('supports the legacy schema (conftest < 0.20) with plain strings', async () => {
    const report = await parseConftestJson(fixture('conftest-legacy.json'));
    expect(report.results).toEqual([
      {
        rule: 'main: Containers must not run as root',
        severity: 'high',
        outcome: 'failed',
        message: 'Containers must not run as root',
        filename: 'deployment.yaml',
        count: 1,
      },
      {
        rule: 'main: Deployments are not allowed',
        severity: 'high',
        outcome: 'failed',
        message: 'Deployments are not allowed',
        filename: 'deployment.yaml',
        count: 1,
      },
    ]);
  });

  it('enforces maxResults and maxDocumentBytes', async () => {
    const failures = Array.from({ length: 20 }, (_, i) => ({ msg: `m${i}` }));
    await expect(
      parseConftestJson(
        chunked(JSON.stringify([{ filename: 'f', failures }])),
        { ...DEFAULT_PARSE_LIMITS, maxResults: 10 },
      ),
    ).rejects.toThrow(
      new InputError('The report has more than 10 results (maxResults)'),
    );
    await expect(
      parseConftestJson(
        chunked(JSON.stringify([{ filename: 'f', failures }]), 64),
        { ...DEFAULT_PARSE_LIMITS, maxDocumentBytes: 100 },
      ),
    ).rejects.toThrow(/larger than 100 bytes \(maxDocumentBytes\)/);
  });

  it.each([
    [
      'an object',
      '{"result":[]}',
      /^Expected a JSON array of conftest results .*got a JSON object$/,
    ],
    [
      'not JSON',
      '<testsuites/>',
      /^Expected a JSON array of conftest results .*not valid JSON/,
    ],
    [
      'truncated JSON',
      '[{"filename":"a","failures":[{"msg":"x"}',
      /not valid JSON/,
    ],
    ['an empty body', '', /got an empty body$/],
    [
      'an entry that is not a result',
      '[{"foo":1}]',
      /^conftest result \[0\] is not a conftest result object/,
    ],
    [
      'failures that are not an array',
      '[{"filename":"a","failures":"x"}]',
      /^conftest result \[0\]\.failures must be an array$/,
    ],
    [
      'a failure that is a number',
      '[{"filename":"a","failures":[1]}]',
      /^conftest result \[0\]\.failures\[0\] must be an object/,
    ],
    [
      'fractional successes',
      '[{"filename":"a","successes":1.5}]',
      /successes must be an integer or a list of results/,
    ],
  ])('rejects %s', async (_name, text, message) => {
    const error = await parseConftestJson(chunked(text)).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });

  it('reads the older shape whose successes is a list of results', async () => {
    const report = await parseConftestJson(
      chunked(
        JSON.stringify([
          {
            filename: 'plan.json',
            namespace: 'main',
            successes: [
              { msg: '' },
              {
                msg: 'tagged',
                metadata: { id: 'MLI-TAG-001', severity: 'low' },
              },
              {},
            ],
            failures: [],
          },
        ]),
      ),
    );
    expect(report).toEqual({
      format: 'conftest',
      results: [
        {
          rule: 'MLI-TAG-001',
          severity: 'low',
          outcome: 'passed',
          message: 'tagged',
          filename: 'plan.json',
          count: 1,
        },
        {
          rule: 'main',
          severity: 'info',
          outcome: 'passed',
          filename: 'plan.json',
          count: 2,
        },
      ],
    });
  });

  it('stores a negative success count (a conftest bug) as 0 and says how many there were', async () => {
    const report = await parseConftestJson(
      chunked(
        JSON.stringify([
          {
            filename: 'a.json',
            namespace: 'main',
            successes: -2,
            failures: [{ msg: 'denied' }],
          },
          { filename: 'b.json', namespace: 'main', successes: -1 },
          { filename: 'c.json', namespace: 'main', successes: 3 },
        ]),
      ),
    );
    expect(report.negativeSuccessCounts).toBe(2);
    expect(report.results.map(r => [r.filename, r.outcome, r.count])).toEqual([
      ['a.json', 'failed', 1],
      ['c.json', 'passed', 3],
    ]);
  });

  it('rejects invalid UTF-8', async () => {
    await expect(
      parseConftestJson(chunked(Buffer.from([0x5b, 0xff, 0x5d]))),
    ).rejects.toThrow(/not valid UTF-8/);
  });
});
