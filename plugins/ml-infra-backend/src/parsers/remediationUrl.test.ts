import { parseConftestJson } from './parseConftestJson';
import { parseOpaEvalJson } from './parseOpaEvalJson';
import { chunked } from './__fixtures__/input';
import { remediationUrl } from './remediationUrl';

describe('remediationUrl', () => {
  it('takes the most specific http(s) link of the metadata', () => {
    expect(
      remediationUrl({
        url: 'https://example.com/rules',
        remediation_url: 'https://example.com/rules/ML-ENC-001#fix',
      }),
    ).toBe('https://example.com/rules/ML-ENC-001#fix');
    expect(
      remediationUrl({
        related_resources: [
          { ref: 'https://example.com/controls/SC-28', description: 'SC-28' },
        ],
      }),
    ).toBe('https://example.com/controls/SC-28');
  });

  it('never takes a script or relative URL, nor prose', () => {
    expect(
      remediationUrl({
        // eslint-disable-next-line no-script-url -- the hostile input under test
        remediation_url: 'javascript:alert(1)',
        remediation: 'Set kms_key_id to a customer-managed key',
        url: '/docs/x',
      }),
    ).toBeUndefined();
  });

  it('reaches the results of conftest and opa eval', async () => {
    const conftest = await parseConftestJson(
      chunked(
        JSON.stringify([
          {
            filename: 'tfplan.json',
            namespace: 'main.encryption',
            successes: 0,
            failures: [
              {
                msg: 'aws_s3_bucket.offline has no customer-managed KMS key',
                metadata: {
                  id: 'ML-ENC-001',
                  remediation_url: 'https://example.com/ML-ENC-001',
                },
              },
            ],
          },
        ]),
      ),
    );
    expect(conftest.results[0]).toMatchObject({
      resource: 'aws_s3_bucket.offline',
      remediationUrl: 'https://example.com/ML-ENC-001',
    });
    const opa = await parseOpaEvalJson(
      chunked(
        JSON.stringify({
          result: [
            {
              expressions: [
                {
                  text: 'data.main.deny',
                  value: [
                    {
                      msg: 'x',
                      metadata: {
                        related_resources: [
                          { ref: 'https://example.com/SC-7' },
                        ],
                      },
                    },
                  ],
                },
              ],
            },
          ],
        }),
      ),
    );
    expect(opa.results[0].remediationUrl).toBe('https://example.com/SC-7');
  });
});
