import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './policyCheck.examples';
import {
  Guardrails,
  allowedInstanceFamilies,
  readGuardrails,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { checkTerraform } from '../lib/terraformChecks';

/**
 * Checks the rendered workspace before anything is published: every `.tf` file parses with
 * the HCL parser, mandatory tags are present and no forbidden instance family or region is used.
 */
export function createPolicyCheckAction(options: {
  config: Config;
  guardrails?: Guardrails;
}) {
  return createTemplateAction({
    id: 'ml-infra:policy:check',
    description:
      'Parses every rendered Terraform file with the HCL parser and checks mandatory tags, instance families and regions against mlInfra.guardrails; fails with a report listing file: problem.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to check (default: the workspace)',
            ),
        mandatoryTags: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Tag keys to require instead of mlInfra.guardrails.mandatoryTags',
            ),
      },
      output: {
        filesChecked: z => z.number().describe('Number of .tf files parsed'),
        report: z =>
          z.string().describe('Human readable result, one line per problem'),
      },
    },
    async handler(ctx) {
      const guardrails = options.guardrails ?? readGuardrails(options.config);
      const root = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.path ?? '.',
      );
      const { files, problems } = await checkTerraform(root, {
        mandatoryTags:
          ctx.input.mandatoryTags ?? guardrails.mandatoryTags.map(t => t.key),
        allowedRegions: guardrails.regions,
        allowedInstanceFamilies: allowedInstanceFamilies(guardrails),
      });
      if (files.length === 0) {
        throw new InputError(
          `Policy check: no .tf files under ${ctx.input.path ?? '.'}`,
        );
      }
      const report =
        problems.length === 0
          ? `Policy check passed: ${files.length} Terraform files`
          : `Policy check failed: ${problems.length} problem(s) in ${
              files.length
            } Terraform files\n${problems
              .map(p => `${p.file}: ${p.problem}`)
              .join('\n')}`;
      ctx.output('filesChecked', files.length);
      ctx.output('report', report);
      if (problems.length > 0) {
        throw new InputError(report);
      }
      ctx.logger.info(report);
    },
  });
}
