import { Config } from '@backstage/config';
import {
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs-extra';
import { examples } from './guardrailsCheck.examples';
import {
  Guardrails,
  allowedInstanceFamilies,
  moduleNameProblem,
  readEnvironments,
  readGuardrails,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { resolveLocalPublishDir, resolveModuleRepoDir } from '../lib/paths';

const COST_CENTER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;
// Template syntax of the scaffolder (nunjucks), GitHub Actions and HCL interpolation: a value
// holding any of these could be evaluated by one of the tools the generated repository runs.
const TEMPLATE_SYNTAX = [
  { token: '${{', name: 'template expression' },
  { token: '{{', name: 'template expression' },
  { token: '{%', name: 'template tag' },
  { token: '{#', name: 'template comment' },
  { token: '${', name: 'interpolation' },
  { token: '%{', name: 'template directive' },
];

function nameProblems(name: string): string[] {
  const problem = moduleNameProblem(name);
  return problem
    ? [`name: '${name}' ${problem[0].toLowerCase()}${problem.slice(1)}`]
    : [];
}

function hclString(value: string) {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

const TAG_EXPRESSIONS: Record<
  string,
  (input: { name: string; goldenPath: string }) => string
> = {
  owner: () => 'var.owner',
  'cost-center': () => 'var.cost_center',
  'data-classification': () => 'var.data_classification',
  environment: () => 'var.environment',
  module: ({ name }) => hclString(name),
  'golden-path': ({ goldenPath }) => hclString(goldenPath),
  'managed-by': () => hclString('terraform'),
};

/**
 * Validates the golden-path parameters against `mlInfra.guardrails` on the server, since the
 * form is not trusted, and derives the values the skeletons render (tags, instance families).
 */
export function createGuardrailsCheckAction(options: {
  config: Config;
  catalog?: CatalogService;
  /** Overrides `mlInfra.guardrails` (tests). */
  guardrails?: Guardrails;
}) {
  const { config, catalog } = options;
  return createTemplateAction({
    id: 'ml-infra:guardrails:check',
    description:
      'Validates the parameters of an ML module golden path against the guardrails in app-config (mlInfra.guardrails) and derives tags and instance families for the skeleton.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string().describe('Module name: DNS label, unique in the catalog'),
        description: z =>
          z
            .string()
            .optional()
            .describe('Free-text description; template syntax is rejected'),
        owner: z =>
          z.string().describe('Entity ref of the owning group or user'),
        system: z =>
          z
            .string()
            .optional()
            .describe('Entity ref of the System the module belongs to'),
        cloud: z =>
          z
            .string()
            .describe('Cloud provider, one of mlInfra.guardrails.clouds'),
        region: z =>
          z.string().describe('Region, one of mlInfra.guardrails.regions'),
        acceleratorType: z =>
          z
            .string()
            .optional()
            .describe(
              'Accelerator family name, one of mlInfra.guardrails.acceleratorFamilies',
            ),
        environments: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Environments to promote through, a subset of mlInfra.environments',
            ),
        costCenter: z =>
          z.string().describe('Cost center the resources are billed to'),
        dataClassification: z =>
          z
            .string()
            .describe(
              'Data classification, one of mlInfra.guardrails.dataClassifications',
            ),
        goldenPath: z =>
          z
            .string()
            .optional()
            .describe('Name of the template (golden path) being run'),
        checkUnique: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Check that no catalog entity or local repository has this name (default true)',
            ),
      },
      output: {
        entityRef: z =>
          z.string().describe('Entity ref the new module will have'),
        environments: z =>
          z
            .array(z.string())
            .describe('Selected environments in promotion order'),
        instanceFamilies: z =>
          z
            .array(z.string())
            .describe('Instance families of the selected accelerator'),
        defaultInstanceType: z =>
          z
            .string()
            .describe(
              'Instance type the module defaults to for the accelerator',
            ),
        allowedRegions: z =>
          z.array(z.string()).describe('All regions the guardrails allow'),
        allowedInstanceFamilies: z =>
          z
            .array(z.string())
            .describe('All instance families the guardrails allow'),
        dataClassifications: z =>
          z
            .array(z.string())
            .describe('All data classifications the guardrails allow'),
        mandatoryTags: z =>
          z
            .array(z.string())
            .describe('Keys of the tags every taggable resource must carry'),
        tagExpressions: z =>
          z
            .array(
              z.object({
                key: z.string(),
                hclKey: z.string(),
                expression: z.string(),
              }),
            )
            .describe(
              'Each mandatory tag with its HCL expression; hclKey is the quoted key padded so the map is terraform fmt clean',
            ),
        localRepoUrl: z =>
          z
            .string()
            .describe(
              'file:// URL ml-infra:publish:local will create the repository at',
            ),
      },
    },
    async handler(ctx) {
      const guardrails = options.guardrails ?? readGuardrails(config);
      const input = ctx.input;
      const problems: string[] = [];

      for (const [field, value] of Object.entries(input)) {
        if (typeof value !== 'string') continue;
        for (const { token, name } of TEMPLATE_SYNTAX) {
          if (value.includes(token)) {
            problems.push(
              `${field}: contains ${name} syntax '${token}', which is not allowed`,
            );
            break;
          }
        }
      }

      problems.push(...nameProblems(input.name));

      for (const [field, value, kinds] of [
        ['owner', input.owner, ['group', 'user']],
        ['system', input.system, ['system']],
      ] as const) {
        if (value === undefined || value === '') {
          if (field === 'owner') problems.push('owner: is required');
          continue;
        }
        try {
          const ref = parseEntityRef(value, {
            defaultKind: kinds[0],
            defaultNamespace: 'default',
          });
          if (
            !(kinds as readonly string[]).includes(
              ref.kind.toLocaleLowerCase('en-US'),
            ) ||
            !KubernetesValidatorFunctions.isValidNamespace(ref.namespace) ||
            !KubernetesValidatorFunctions.isValidObjectName(ref.name)
          ) {
            throw new Error();
          }
        } catch {
          problems.push(
            `${field}: '${value}' is not a reference to a ${kinds.join(
              ' or ',
            )} entity`,
          );
        }
      }

      if (!guardrails.clouds.includes(input.cloud)) {
        problems.push(
          `cloud: '${
            input.cloud
          }' is not allowed by the guardrails (allowed: ${guardrails.clouds.join(
            ', ',
          )})`,
        );
      }
      if (!guardrails.regions.includes(input.region)) {
        problems.push(
          `region: '${
            input.region
          }' is not allowed by the guardrails (allowed: ${guardrails.regions.join(
            ', ',
          )})`,
        );
      }
      const family = input.acceleratorType
        ? guardrails.acceleratorFamilies.find(
            f => f.name === input.acceleratorType,
          )
        : undefined;
      if (input.acceleratorType && !family) {
        problems.push(
          `acceleratorType: '${
            input.acceleratorType
          }' is not allowed by the guardrails (allowed: ${guardrails.acceleratorFamilies
            .map(f => f.name)
            .join(', ')})`,
        );
      }
      if (!guardrails.dataClassifications.includes(input.dataClassification)) {
        problems.push(
          `dataClassification: '${
            input.dataClassification
          }' is not allowed (allowed: ${guardrails.dataClassifications.join(
            ', ',
          )})`,
        );
      }
      if (!COST_CENTER_PATTERN.test(input.costCenter)) {
        problems.push(
          `costCenter: '${input.costCenter}' must be 2-32 letters, digits, '.', '_' or '-'`,
        );
      }

      const order = readEnvironments(config);
      const requested = input.environments ?? order;
      const unknown = requested.filter(e => !order.includes(e));
      if (unknown.length > 0) {
        problems.push(
          `environments: ${unknown
            .map(e => `'${e}'`)
            .join(', ')} not configured (allowed: ${order.join(', ')})`,
        );
      }
      const environments = order.filter(e => requested.includes(e));
      if (environments.length === 0) {
        problems.push('environments: select at least one environment');
      }

      const entityRef = stringifyEntityRef({
        kind: 'component',
        namespace: 'default',
        name: input.name,
      });
      const baseDir = resolveLocalPublishDir(config);
      let repoDir: string | undefined;
      if (nameProblems(input.name).length === 0) {
        repoDir = resolveModuleRepoDir(baseDir, input.name);
        if (input.checkUnique !== false) {
          const existing = await catalog?.getEntityByRef(entityRef, {
            credentials: await ctx.getInitiatorCredentials(),
          });
          if (existing) {
            problems.push(
              `name: '${input.name}' is already used by ${entityRef} in the catalog`,
            );
          } else if (await fs.pathExists(repoDir)) {
            problems.push(
              `name: '${input.name}' already has a local repository at ${repoDir}`,
            );
          }
        }
      }

      if (problems.length > 0) {
        throw new InputError(
          `The parameters break the ML infra guardrails:\n${problems
            .map(p => ` - ${p}`)
            .join('\n')}`,
        );
      }

      const goldenPath =
        input.goldenPath ??
        ctx.templateInfo?.entity?.metadata.name ??
        'unknown';
      ctx.logger.info(`Parameters of ${entityRef} pass the guardrails`);
      ctx.output('entityRef', entityRef);
      ctx.output('environments', environments);
      ctx.output('instanceFamilies', family?.instanceFamilies ?? []);
      ctx.output(
        'defaultInstanceType',
        family?.defaultInstanceType ??
          `${family?.instanceFamilies[0] ?? 'm6i'}.xlarge`,
      );
      ctx.output('allowedRegions', guardrails.regions);
      ctx.output(
        'allowedInstanceFamilies',
        allowedInstanceFamilies(guardrails),
      );
      ctx.output('dataClassifications', guardrails.dataClassifications);
      ctx.output(
        'mandatoryTags',
        guardrails.mandatoryTags.map(t => t.key),
      );
      const keyWidth = Math.max(
        ...guardrails.mandatoryTags.map(t => JSON.stringify(t.key).length),
      );
      ctx.output(
        'tagExpressions',
        guardrails.mandatoryTags.map(t => ({
          key: t.key,
          hclKey: JSON.stringify(t.key).padEnd(keyWidth),
          expression:
            t.value !== undefined
              ? hclString(t.value)
              : TAG_EXPRESSIONS[t.key]({ name: input.name, goldenPath }),
        })),
      );
      ctx.output('localRepoUrl', `file://${repoDir}`);
    },
  });
}
