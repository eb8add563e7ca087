import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './moduleRegister.examples';

const DEFAULT_CATALOG_WAIT_SECONDS = 120;

/** Tells the ML Infra backend about a new module: its entity ref, environments and first version. */
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
        version: z =>
          z
            .string()
            .optional()
            .describe('Initial version of the module (default 0.1.0)'),
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
      const body = {
        entityRef,
        environments: ctx.input.environments,
        version: ctx.input.version ?? '0.1.0',
      };
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
          const baseUrl = await discovery.getBaseUrl('ml-infra');
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'ml-infra',
          });
          const deadline =
            Date.now() +
            (ctx.input.catalogWaitSeconds ?? DEFAULT_CATALOG_WAIT_SECONDS) *
              1000;
          for (;;) {
            const response = await fetch(`${baseUrl}/modules`, {
              method: 'POST',
              headers: {
                'Content-Type': 'application/json',
                Authorization: `Bearer ${token}`,
              },
              body: JSON.stringify(body),
            });
            if (response.ok) {
              return;
            }
            // The backend only knows modules the catalog has; a new repository takes a moment.
            if (
              response.status !== 404 ||
              Date.now() + retryIntervalMs > deadline
            ) {
              throw await ResponseError.fromResponse(response);
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
