import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the rendered module as a local git repository and register it in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'ml-infra:publish:local',
          name: 'Publish locally',
          input: { name: 'llm-training', tag: 'v0.1.0' },
        },
      ],
    }),
  },
  {
    description: 'Publish a sub-folder of the workspace without registering it',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'ml-infra:publish:local',
          name: 'Publish locally',
          input: {
            name: 'feature-store',
            sourcePath: 'repo',
            defaultBranch: 'trunk',
            commitMessage: 'Scaffold feature store module',
            registerInCatalog: false,
          },
        },
      ],
    }),
  },
];
