import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check the parameters of a GPU training cluster before rendering anything',
    example: yaml.stringify({
      steps: [
        {
          id: 'guardrails',
          action: 'ml-infra:guardrails:check',
          name: 'Check guardrails',
          input: {
            name: 'llm-training',
            description: 'A100 training cluster for LLM fine-tuning',
            owner: 'group:default/ml-platform',
            system: 'system:default/training-platform',
            cloud: 'aws',
            region: 'us-east-1',
            acceleratorType: 'nvidia-a100',
            environments: ['dev', 'staging', 'prod'],
            costCenter: 'cc-1234',
            dataClassification: 'internal',
            goldenPath: 'gpu-training-cluster',
          },
        },
      ],
    }),
  },
  {
    description:
      'Check a module without accelerators that is only promoted to dev and prod',
    example: yaml.stringify({
      steps: [
        {
          id: 'guardrails',
          action: 'ml-infra:guardrails:check',
          name: 'Check guardrails',
          input: {
            name: 'training-datasets',
            owner: 'group:default/data-platform',
            cloud: 'aws',
            region: 'eu-west-1',
            environments: ['dev', 'prod'],
            costCenter: 'cc-9000',
            dataClassification: 'confidential',
          },
        },
      ],
    }),
  },
];
