import { InputError } from '@backstage/errors';
import { chunked, fixture } from './__fixtures__/input';
import { parseOpaEvalJson } from './parseOpaEvalJson';

describe('parseOpaEvalJson', () => {
  it('reads the evaluation of a whole package: every rule set, warn sets as warnings', async () => {
    const report = await parseOpaEvalJson(
      chunked(
        JSON.stringify({
          result: [
            {
              expressions: [
                {
                  text: 'data.main',
                  value: {
                    allow: false,
                    deny: [
                      'bucket is public',
                      {
                        msg: 'no encryption',
                        id: 'MLI-ENC-001',
                        severity: 'critical',
                      },
                    ],
                    warn: ['missing cost-center tag'],
                    violation: [],
                    helpers: { regions: ['eu-west-1'] },
                  },
                },
              ],
            },
          ],
        }),
      ),
    );
    expect(report.results).toEqual([
      {
        rule: 'data.main.deny',
        severity: 'high',
        outcome: 'failed',
        message: 'bucket is public',
        count: 1,
      },
      {
        rule: 'MLI-ENC-001',
        severity: 'critical',
        outcome: 'failed',
        message: 'no encryption',
        count: 1,
      },
      {
        rule: 'data.main.warn',
        severity: 'medium',
        outcome: 'warned',
        message: 'missing cost-center tag',
        count: 1,
      },
    ]);
  });

  it('refuses a package value with no rule set, naming what it accepts', async () => {
    await expect(
      parseOpaEvalJson(
        chunked(
          '{"result":[{"expressions":[{"text":"data.main","value":{"allow":true}}]}]}',
        ),
      ),
    ).rejects.toThrow(/a package of rule sets/);
  });

  it('maps a violation set of objects and strings to failed results', async () => {
    const report = await parseOpaEvalJson(fixture('opa-eval-violations.json'));
    expect(report).toEqual({
      format: 'opa-eval',
      results: [
        {
          rule: 'MLI-SERVE-003',
          control: 'SOC2-CC7.2',
          severity: 'high',
          outcome: 'failed',
          message:
            'aws_sagemaker_endpoint.serving: data_capture_config is required in prod',
          resource: 'aws_sagemaker_endpoint.serving',
          count: 1,
        },
        {
          rule: 'MLI-SERVE-004',
          severity: 'critical',
          outcome: 'failed',
          message: 'aws_sagemaker_model.llm: network isolation must be enabled',
          resource: 'aws_sagemaker_model.llm',
          count: 1,
        },
        {
          rule: 'data.ml_infra.serving.violation',
          severity: 'high',
          outcome: 'failed',
          message: 'public model registry access is not allowed',
          count: 1,
        },
      ],
    });
  });

  it('maps a regula report (rule_results)', async () => {
    const report = await parseOpaEvalJson(fixture('opa-eval-regula-v1.json'));
    expect(report.results).toEqual([
      {
        rule: 'FG_R00099',
        control: 'CIS-AWS_v1.4.0_2.1.1, NIST-800-53_vRev4_SC-13',
        severity: 'high',
        outcome: 'failed',
        message: 'S3 bucket server side encryption should be enabled',
        resource: 'aws_s3_bucket.artifacts',
        filename: 'plan.json',
        count: 1,
      },
      {
        rule: 'FG_R00092',
        severity: 'medium',
        outcome: 'passed',
        message: 'IAM policies should not have wildcard actions',
        resource: 'aws_iam_role.training',
        filename: 'plan.json',
        count: 1,
      },
      {
        rule: 'FG_R00054',
        severity: 'medium',
        outcome: 'passed',
        message: 'waived by regula: VPC flow logging should be enabled',
        resource: 'aws_vpc.main',
        filename: 'plan.json',
        count: 1,
      },
    ]);
  });

  it('accepts an empty violation set', async () => {
    const report = await parseOpaEvalJson(
      chunked(
        '{"result":[{"expressions":[{"value":[],"text":"data.x.deny"}]}]}',
      ),
    );
    expect(report.results).toEqual([]);
  });

  it.each([
    ['an undefined query result {}', '{}', /no "result" array/],
    [
      'a boolean value',
      '{"result":[{"expressions":[{"value":true,"text":"data.x.allow"}]}]}',
      /^result\[0\]\.expressions\[0\]\.value must be an array of violation messages/,
    ],
    [
      'an object that is not a regula report',
      '{"result":[{"expressions":[{"value":{"a":1}}]}]}',
      /value must be an array of violation messages .* or a regula report/,
    ],
    [
      'a violation object without msg',
      '{"result":[{"expressions":[{"value":[{"severity":"high"}]}]}]}',
      /value\[0\] has no "msg"/,
    ],
    [
      'a result without expressions',
      '{"result":[{}]}',
      /^result\[0\] has no "expressions" array$/,
    ],
    ['conftest output', '[{"filename":"a"}]', /no "result" array/],
    ['not JSON', 'deny[msg]', /not valid JSON/],
  ])('rejects %s', async (_name, text, message) => {
    const error = await parseOpaEvalJson(chunked(text)).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });
});
