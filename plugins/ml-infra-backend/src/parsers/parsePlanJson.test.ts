import { InputError } from '@backstage/errors';
import fs from 'fs';
import { chunked, fixture } from './__fixtures__/input';
import { parsePlanJson } from './parsePlanJson';
import { DEFAULT_PARSE_LIMITS } from './types';

describe('parsePlanJson', () => {
  it('reads drift and pending changes from terraform show -json', async () => {
    const plan = await parsePlanJson(fixture('plan-show.json'));
    expect(plan).toEqual({
      formatVersion: '1.2',
      terraformVersion: '1.9.8',
      drift: [
        {
          address: 'module.training.aws_eks_node_group.gpu["a100"]',
          type: 'aws_eks_node_group',
          action: 'update',
          changedAttributes: ['scaling_config', 'tags'],
          source: 'drift',
          attributes: [
            {
              name: 'scaling_config',
              before: '[{"desired_size":2,"max_size":8,"min_size":0}]',
              after: '[{"desired_size":6,"max_size":8,"min_size":0}]',
            },
            {
              name: 'tags',
              before: '{"team":"ml"}',
              after: '{"team":"ml","owner":"someone-in-console"}',
            },
          ],
        },
        {
          address: 'aws_s3_bucket.datasets',
          type: 'aws_s3_bucket',
          action: 'delete',
          changedAttributes: ['bucket'],
          source: 'drift',
          previousAddress: 'aws_s3_bucket.data',
          attributes: [{ name: 'bucket', before: 'acme-datasets' }],
        },
      ],
      changes: [
        {
          address: 'module.training.aws_eks_node_group.gpu["a100"]',
          type: 'aws_eks_node_group',
          action: 'update',
          changedAttributes: ['scaling_config', 'status', 'tags'],
          source: 'change',
          attributes: [
            {
              name: 'scaling_config',
              before: '[{"desired_size":6}]',
              after: '[{"desired_size":2}]',
            },
            { name: 'status', afterUnknown: true },
            {
              name: 'tags',
              before: '{"team":"ml","owner":"someone-in-console"}',
              after: '{"team":"ml"}',
            },
          ],
        },
        {
          address: 'aws_sagemaker_endpoint.serving',
          type: 'aws_sagemaker_endpoint',
          action: 'replace',
          changedAttributes: ['arn', 'endpoint_config_name', 'id'],
          source: 'change',
          attributes: [
            { name: 'arn', afterUnknown: true },
            {
              name: 'endpoint_config_name',
              before: 'serving-v1',
              after: 'serving-v2',
            },
            { name: 'id', afterUnknown: true },
          ],
        },
        {
          address: 'aws_sagemaker_model.llm',
          type: 'aws_sagemaker_model',
          action: 'replace',
          changedAttributes: [],
          source: 'change',
        },
      ],
    });
  });

  it('gives the same plan when fed in tiny chunks', async () => {
    const text = fs.readFileSync(
      `${__dirname}/__fixtures__/plan-show.json`,
      'utf8',
    );
    const whole = await parsePlanJson(fixture('plan-show.json'));
    await expect(parsePlanJson(chunked(text, 3))).resolves.toEqual(whole);
  });

  it('accepts the HCP Terraform redacted plan (plan_format_version, no terraform_version)', async () => {
    const plan = await parsePlanJson(
      chunked(
        JSON.stringify({
          plan_format_version: '1.1',
          resource_drift: [],
          resource_changes: [
            {
              address: 'aws_s3_bucket.models',
              type: 'aws_s3_bucket',
              change: {
                actions: ['create'],
                before: null,
                after: { bucket: 'm' },
                after_unknown: { arn: true },
              },
            },
          ],
          provider_schemas: { 'registry.terraform.io/hashicorp/aws': {} },
        }),
      ),
    );
    expect(plan).toEqual({
      formatVersion: '1.1',
      drift: [],
      changes: [
        {
          address: 'aws_s3_bucket.models',
          type: 'aws_s3_bucket',
          action: 'create',
          changedAttributes: ['arn', 'bucket'],
          source: 'change',
          attributes: [
            { name: 'arn', afterUnknown: true },
            { name: 'bucket', after: 'm' },
          ],
        },
      ],
    });
  });

  it('streams a large single-line plan without parsing it whole', async () => {
    const resources = 20_000;
    async function* bigPlan() {
      yield '{"format_version":"1.2","terraform_version":"1.9.8","prior_state":{"values":{"root_module":{"resources":[';
      for (let i = 0; i < resources; i++) {
        yield `${
          i ? ',' : ''
        }{"address":"aws_s3_object.o${i}","values":{"key":"${'k'.repeat(
          400,
        )}"}}`;
      }
      yield ']}}},"resource_changes":[';
      for (let i = 0; i < resources; i++) {
        yield `${
          i ? ',' : ''
        }{"address":"aws_s3_object.o${i}","type":"aws_s3_object","change":{"actions":["${
          i % 100 ? 'no-op' : 'update'
        }"],"before":{"etag":"a"},"after":{"etag":"b"}}}`;
      }
      yield ']}';
    }
    const plan = await parsePlanJson(bigPlan());
    expect(plan.changes).toHaveLength(resources / 100);
    expect(plan.changes[1]).toEqual({
      address: 'aws_s3_object.o100',
      type: 'aws_s3_object',
      action: 'update',
      changedAttributes: ['etag'],
      source: 'change',
      attributes: [{ name: 'etag', before: 'a', after: 'b' }],
    });
  });

  it('keeps no value the plan marks sensitive, and caps long values', async () => {
    const plan = await parsePlanJson(
      chunked(
        JSON.stringify({
          format_version: '1.2',
          resource_drift: [
            {
              address: 'aws_db_instance.features',
              type: 'aws_db_instance',
              change: {
                actions: ['update'],
                before: {
                  password: 'old-secret',
                  instance_class: 'db.r6g.large',
                  parameters: [{ name: 'x', value: 'before-secret' }],
                  policy: 'p'.repeat(2000),
                },
                after: {
                  password: 'new-secret',
                  instance_class: 'db.r6g.xlarge',
                  parameters: [{ name: 'x', value: 'after-secret' }],
                  policy: 'q'.repeat(2000),
                },
                before_sensitive: { password: true },
                after_sensitive: {
                  password: true,
                  parameters: [{ value: true }],
                },
              },
            },
          ],
        }),
      ),
    );
    const [resource] = plan.drift;
    expect(resource.attributes).toEqual([
      {
        name: 'instance_class',
        before: 'db.r6g.large',
        after: 'db.r6g.xlarge',
      },
      { name: 'parameters', sensitive: true },
      { name: 'password', sensitive: true },
      {
        name: 'policy',
        before: `${'p'.repeat(512)}…`,
        after: `${'q'.repeat(512)}…`,
        truncated: true,
      },
    ]);
    expect(JSON.stringify(plan)).not.toMatch(/secret/);
  });

  it('enforces maxResults', async () => {
    const changes = Array.from({ length: 5 }, (_, i) => ({
      address: `a.b${i}`,
      type: 'a',
      change: { actions: ['create'] },
    }));
    await expect(
      parsePlanJson(
        chunked(
          JSON.stringify({ format_version: '1.2', resource_changes: changes }),
        ),
        { ...DEFAULT_PARSE_LIMITS, maxResults: 3 },
      ),
    ).rejects.toThrow(
      new InputError('The plan has more than 3 resources (maxResults)'),
    );
  });

  it('reads a terraform plan -json UI log', async () => {
    const plan = await parsePlanJson(fixture('plan-ui-log.jsonl'));
    expect(plan).toEqual({
      terraformVersion: '1.9.8',
      formatVersion: '1.2',
      drift: [
        {
          address: 'aws_s3_bucket.datasets',
          type: 'aws_s3_bucket',
          action: 'update',
          changedAttributes: [],
          source: 'drift',
        },
      ],
      changes: [
        {
          address: 'aws_sagemaker_endpoint.serving',
          type: 'aws_sagemaker_endpoint',
          action: 'replace',
          changedAttributes: [],
          source: 'change',
        },
        {
          address: 'aws_iam_role.training',
          type: 'aws_iam_role',
          action: 'move',
          changedAttributes: [],
          source: 'change',
          previousAddress: 'aws_iam_role.train',
        },
      ],
    });
  });

  it.each([
    ['not JSON', 'Plan: 1 to add, 0 to change', /does not start with "\{"/],
    ['an empty body', '   ', /got an empty body/],
    ['a JSON array', '[1,2]', /does not start with "\{"/],
    [
      'JSON without plan keys',
      '{"foo":{"resource_changes":[]}}',
      /no "resource_changes", "resource_drift" or "format_version" found/,
    ],
    [
      'truncated JSON',
      '{"format_version":"1.2","resource_changes":[{"address":"a.b"',
      /the JSON is malformed/,
    ],
    [
      'a resource change without actions',
      '{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{}}]}',
      /^resource_changes entry 0 is not a resource change/,
    ],
    [
      'a UI log with a broken line',
      '{"@level":"info","type":"version","terraform":"1.9.8"}\n{"@level":"info",\n',
      /^Line 2 of the terraform plan -json log is not valid JSON/,
    ],
  ])('rejects %s', async (_name, text, message) => {
    const error = await parsePlanJson(chunked(text, 5)).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
  });

  it('rejects invalid UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"format_version":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    await expect(parsePlanJson(chunked(bytes))).rejects.toThrow(
      new InputError('The plan is not valid UTF-8'),
    );
  });
});
