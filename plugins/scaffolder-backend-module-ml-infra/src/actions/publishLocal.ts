import {
  AuthService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CatalogService,
  locationSpecToMetadataName,
} from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { examples } from './publishLocal.examples';
import { resolveLocalPublishDir, resolveModuleRepoDir } from '../lib/paths';

/** The catalog location, in app-config, that picks up every locally published module. */
export function localModulesLocationTarget(baseDir: string) {
  return path.join(baseDir, '*', 'catalog-info.yaml');
}

async function commitDirectory(options: {
  dir: string;
  branch: string;
  message: string;
  author: { name: string; email: string };
  tag?: string;
}) {
  const { dir, branch, message, author, tag } = options;
  await git.init({ fs, dir, defaultBranch: branch });
  const files = (await git.statusMatrix({ fs, dir })).map(
    ([filepath]) => filepath,
  );
  for (const filepath of files) {
    await git.add({ fs, dir, filepath });
  }
  const sha = await git.commit({ fs, dir, message, author, committer: author });
  if (tag) {
    await git.tag({ fs, dir, ref: tag, object: sha });
  }
  return sha;
}

/**
 * Publish target of the embedded default: the new module becomes a git repository on local
 * disk (one initial commit) under `mlInfra.scaffolder.localPublishDir`, and is registered in
 * the catalog.
 */
export function createPublishLocalAction(options: {
  config: Config;
  catalog: CatalogService;
  auth: AuthService;
  /** Overrides where the repository root is looked up from (tests). */
  cwd?: string;
}) {
  const { config, catalog, auth } = options;
  return createTemplateAction({
    id: 'ml-infra:publish:local',
    description:
      'Creates the new module as a git repository with an initial commit under mlInfra.scaffolder.localPublishDir and registers its catalog-info.yaml in the catalog. For installations without a GitHub integration.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string().describe('Repository folder name (DNS-safe module name)'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to publish (default: the workspace)',
            ),
        defaultBranch: z =>
          z
            .string()
            .optional()
            .describe('Branch of the initial commit (default main)'),
        commitMessage: z =>
          z.string().optional().describe('Message of the initial commit'),
        tag: z =>
          z
            .string()
            .optional()
            .describe(
              'Tag to put on the initial commit, e.g. v0.1.0 (default none)',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Path of the catalog file inside the repository (default /catalog-info.yaml)',
            ),
        registerInCatalog: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Register the catalog file in the catalog (default true)',
            ),
      },
      output: {
        remoteUrl: z =>
          z
            .string()
            .describe(
              'file:// URL of the new repository (git clone works with it)',
            ),
        repoContentsUrl: z =>
          z.string().describe('file:// URL of the repository contents'),
        catalogInfoPath: z =>
          z.string().describe('Path of the catalog file inside the repository'),
        catalogInfoUrl: z =>
          z.string().describe('Absolute file path of the catalog file'),
        commitHash: z =>
          z
            .string()
            .describe('Hash of the initial commit (empty in a dry run)'),
        catalogRegistration: z =>
          z
            .enum(['location', 'refresh', 'none'])
            .describe(
              'How the module reached the catalog: its own file location, a refresh of the configured glob location, or not at all',
            ),
      },
    },
    async handler(ctx) {
      const baseDir = resolveLocalPublishDir(config, options.cwd);
      let repoDir: string;
      try {
        repoDir = resolveModuleRepoDir(baseDir, ctx.input.name);
      } catch (error) {
        throw new InputError(`name: ${String((error as Error).message)}`);
      }
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      const catalogInfoPath = `/${(
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml'
      ).replace(/^\/+/, '')}`;
      const catalogFile = resolveSafeChildPath(
        repoDir,
        catalogInfoPath.slice(1),
      );
      const url = pathToFileURL(repoDir).toString();
      ctx.output('remoteUrl', url);
      ctx.output('repoContentsUrl', url);
      ctx.output('catalogInfoPath', catalogInfoPath);
      ctx.output('catalogInfoUrl', catalogFile);

      if (
        (await fs.pathExists(repoDir)) &&
        (await fs.readdir(repoDir)).length > 0
      ) {
        throw new InputError(`name: a repository already exists at ${repoDir}`);
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create a git repository at ${repoDir} and register ${catalogInfoPath}`,
        );
        ctx.output('commitHash', '');
        ctx.output('catalogRegistration', 'none');
        return;
      }

      const commitHash = await ctx.checkpoint({
        key: `ml-infra.publish.local.${ctx.input.name}`,
        fn: async () => {
          await fs.ensureDir(baseDir);
          await fs.copy(sourceDir, repoDir, {
            filter: src => path.basename(src) !== '.git',
          });
          return commitDirectory({
            dir: repoDir,
            branch: ctx.input.defaultBranch ?? 'main',
            message:
              ctx.input.commitMessage ??
              'Initial commit from the ML Infra golden path',
            author: {
              name: 'ML Infra Portal',
              email: 'scaffolder@ml-infra.local',
            },
            tag: ctx.input.tag,
          });
        },
      });
      ctx.output('commitHash', commitHash);
      ctx.logger.info(`Created ${repoDir} at commit ${commitHash}`);

      if (ctx.input.registerInCatalog === false) {
        ctx.output('catalogRegistration', 'none');
        return;
      }
      const registration = await ctx.checkpoint({
        key: `ml-infra.publish.local.catalog.${ctx.input.name}`,
        fn: async (): Promise<'location' | 'refresh' | 'none'> => {
          try {
            await catalog.addLocation(
              { type: 'file', target: catalogFile },
              { credentials: await ctx.getInitiatorCredentials() },
            );
            return 'location';
          } catch (error) {
            ctx.logger.info(
              `The catalog did not accept a file location (${String(
                error,
              )}); refreshing the configured location instead`,
            );
          }
          const target = localModulesLocationTarget(baseDir);
          const locationRef = `location:default/${locationSpecToMetadataName({
            type: 'file',
            target,
          })}`;
          try {
            await catalog.refreshEntity(locationRef, {
              credentials: await auth.getOwnServiceCredentials(),
            });
            return 'refresh';
          } catch (error) {
            ctx.logger.warn(
              `Could not refresh ${locationRef} (${String(
                error,
              )}). Add a catalog location of type file with target ${target} to app-config so local modules appear in the catalog.`,
            );
            return 'none';
          }
        },
      });
      ctx.output('catalogRegistration', registration);
    },
  });
}
