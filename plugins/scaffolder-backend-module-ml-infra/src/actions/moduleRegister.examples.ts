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
    description: 'Register a module that starts at a given version',
    example: yaml.stringify({
      steps: [
        {
          id: 'register-module',
          action: 'ml-infra:module:register',
          name: 'Register with ML Infra',
          input: {
            entityRef: 'feature-store',
            environments: ['dev', 'prod'],
            version: '1.0.0',
          },
        },
      ],
    }),
  },
];
