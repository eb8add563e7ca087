import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** The `input` of the first step of a documented example. */
export function exampleInput(example: TemplateExample) {
  return yaml.parse(example.example).steps[0].input ?? {};
}
