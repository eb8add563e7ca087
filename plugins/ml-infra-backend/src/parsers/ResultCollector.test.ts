import { resourceInMessage } from './ResultCollector';

describe('resourceInMessage', () => {
  it.each([
    [
      'aws_s3_bucket.datasets has no customer-managed KMS key (kms_key_id)',
      'aws_s3_bucket.datasets',
    ],
    [
      'module.training.aws_eks_node_group.gpu["a100"]: missing tag cost-center',
      'module.training.aws_eks_node_group.gpu["a100"]',
    ],
    [
      'module.net[0].data.aws_iam_policy_document.assume uses a wildcard',
      'module.net[0].data.aws_iam_policy_document.assume',
    ],
    ['aws_instance.web_app_1', 'aws_instance.web_app_1'],
  ])('finds the address opening %j', (message, address) => {
    expect(resourceInMessage(message)).toBe(address);
  });

  it.each([
    'Found service hello-kubernetes but services are not allowed',
    'e.g. something is wrong',
    '3 S3 bucket(s) but only 2 server-side encryption configuration(s)',
    'the resource aws_s3_bucket.x is public',
    'aws_s3_bucket.datasets.arn is not a resource address',
  ])('finds none in %j', message => {
    expect(resourceInMessage(message)).toBeUndefined();
  });
});
