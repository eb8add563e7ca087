import { InputError } from '@backstage/errors';
import { chunked, fixture } from './__fixtures__/input';
import { parseSarif } from './parseSarif';

describe('parseSarif', () => {
  it('maps results with rule metadata, levels and locations', async () => {
    const report = await parseSarif(fixture('sarif-tfsec.json'));
    expect(report.format).toBe('sarif');
    expect(report.results).toEqual([
      {
        rule: 'aws-s3-enable-bucket-encryption',
        severity: 'high',
        outcome: 'failed',
        message: 'Bucket does not have encryption enabled',
        resource: 'aws_s3_bucket.datasets',
        filename: 'modules/datasets/main.tf',
        line: 12,
        remediationUrl:
          'https://aquasecurity.github.io/tfsec/latest/checks/aws/s3/enable-bucket-encryption/',
        count: 1,
      },
      {
        rule: 'aws-eks-no-public-cluster-access',
        control: 'MLI-NET-001',
        severity: 'critical',
        outcome: 'failed',
        message: 'Cluster allows access from a public CIDR: 0.0.0.0/0',
        filename: 'main.tf',
        line: 4,
        count: 1,
      },
      {
        rule: 'aws-iam-no-policy-wildcards',
        severity: 'low',
        outcome: 'warned',
        message: "IAM policy document uses wildcarded action 's3:*'",
        count: 1,
      },
      {
        rule: 'aws-iam-no-policy-wildcards',
        severity: 'info',
        outcome: 'passed',
        message: 'ok',
        count: 1,
      },
    ]);
  });

  it.each([
    ['a log without runs', '{"version":"2.1.0"}', /no "runs" array/],
    [
      'another SARIF version',
      '{"version":"1.0.0","runs":[]}',
      /^SARIF version 1\.0\.0 is not supported/,
    ],
    [
      'a result without a rule',
      '{"runs":[{"results":[{"message":{"text":"x"}}]}]}',
      /^runs\[0\]\.results\[0\] has no "ruleId"/,
    ],
    [
      'results that are not an array',
      '{"runs":[{"results":{}}]}',
      /^runs\[0\]\.results must be an array$/,
    ],
    ['not JSON', 'tfsec found 3 problems', /not valid JSON/],
  ])('rejects %s', async (_name, text, message) => {
    const error = await parseSarif(chunked(text)).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });
});
