import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Check the whole rendered workspace against the guardrails',
    example: yaml.stringify({
      steps: [
        { id: 'policy', action: 'ml-infra:policy:check', name: 'Check policy' },
      ],
    }),
  },
  {
    description: 'Check one folder and require a specific set of tags',
    example: yaml.stringify({
      steps: [
        {
          id: 'policy',
          action: 'ml-infra:policy:check',
          name: 'Check policy',
          input: { path: 'module', mandatoryTags: ['owner', 'cost-center'] },
        },
      ],
    }),
  },
];
