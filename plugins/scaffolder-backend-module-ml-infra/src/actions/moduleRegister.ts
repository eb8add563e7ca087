import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { isError, ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMlInfraServiceClient } from '@ml-infra-portal/plugin-ml-infra-node';
import { examples } from './moduleRegister.examples';

const DEFAULT_CATALOG_WAIT_SECONDS = 120;

/**
 * Tells the ML Infra backend about a new module: its entity ref and environments. Versions are
 * not registered here: they come from the module's release workflow, with their evidence.
 */
export function createModuleRegisterAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  /** Pause between attempts while the catalog has not ingested the module yet (tests shorten it). */
  retryIntervalMs?: number;
}) {
  const { discovery, auth } = options;
  const retryIntervalMs = options.retryIntervalMs ?? 2000;
  return createTemplateAction({
    id: 'ml-infra:module:register',
    description:
      'Registers a new ML infra module with the ML Infra backend (POST /api/ml-infra/modules) so the portal tracks its versions and environments from the first CI run.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string().describe('Entity ref of the module Component'),
        environments: z =>
          z
            .array(z.string())
            .min(1)
            .describe('Environments the module is promoted through, in order'),
        catalogWaitSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(600)
            .optional()
            .describe(
              'How long to keep retrying while the backend answers 404 because the catalog has not ingested the just-published module yet (default 120)',
            ),
      },
      output: {
        registered: z =>
          z
            .boolean()
            .describe('Whether the backend was called (false in a dry run)'),
      },
    },
    async handler(ctx) {
      const entityRef = stringifyEntityRef(
        parseEntityRef(ctx.input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      );
      const body = { entityRef, environments: ctx.input.environments };
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would register ${entityRef} with the ML Infra backend: ${JSON.stringify(
            body,
          )}`,
        );
        ctx.output('registered', false);
        return;
      }
      await ctx.checkpoint({
        key: `ml-infra.module.register.${entityRef}`,
        fn: async () => {
          const client = await createMlInfraServiceClient({ auth, discovery });
          const deadline =
            Date.now() +
            (ctx.input.catalogWaitSeconds ?? DEFAULT_CATALOG_WAIT_SECONDS) *
              1000;
          for (;;) {
            try {
              await client.POST('/modules', { body });
              return;
            } catch (error) {
              // The backend only knows modules the catalog has; a new repository takes a moment.
              const notInCatalogYet =
                isError(error) &&
                error.name === 'ResponseError' &&
                (error as unknown as ResponseError).response.status === 404;
              if (!notInCatalogYet || Date.now() + retryIntervalMs > deadline) {
                throw error;
              }
            }
            ctx.logger.info(`${entityRef} is not in the catalog yet; retrying`);
            await new Promise(resolve => setTimeout(resolve, retryIntervalMs));
          }
        },
      });
      ctx.logger.info(`Registered ${entityRef} with the ML Infra backend`);
      ctx.output('registered', true);
    },
  });
}
