import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Register the new module with the environments chosen in the form',
    example: yaml.stringify({
      steps: [
        {
          id: 'register-module',
          action: 'ml-infra:module:register',
          name: 'Register with ML Infra',
          input: {
            entityRef: 'component:default/llm-training',
            environments: ['dev', 'staging', 'prod'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Register a module and wait up to five minutes for the catalog to ingest it',
    example: yaml.stringify({
      steps: [
        {
          id: 'register-module',
          action: 'ml-infra:module:register',
          name: 'Register with ML Infra',
          input: {
            entityRef: 'feature-store',
            environments: ['dev', 'prod'],
            catalogWaitSeconds: 300,
          },
        },
      ],
    }),
  },
];
