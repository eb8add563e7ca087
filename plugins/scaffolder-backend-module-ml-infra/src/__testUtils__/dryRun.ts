import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fs from 'fs-extra';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import yaml from 'yaml';
import { scaffolderModuleMlInfra } from '../module';

/** The repository's `templates/` folder. */
export const TEMPLATES_DIR = path.resolve(__dirname, '../../../../templates');

/** Names of the golden paths, from the catalog Location that registers them. */
export function listTemplates(): string[] {
  const location = yaml.parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, 'all-templates.yaml'), 'utf8'),
  );
  return (location.spec.targets as string[]).map(t =>
    path.basename(t, '.template.yaml'),
  );
}

export function readTemplate(name: string) {
  return yaml.parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, `${name}.template.yaml`), 'utf8'),
  );
}

async function collectFiles(
  dir: string,
  base = dir,
): Promise<{ path: string; base64Content: string }[]> {
  const out = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...(await collectFiles(full, base)));
    } else {
      out.push({
        path: path.relative(base, full).split(path.sep).join('/'),
        base64Content: (await fs.readFile(full)).toString('base64'),
      });
    }
  }
  return out;
}

export interface DryRunResult {
  status: number;
  body: any;
  /** Rendered files by path (only when status is 200). */
  files: Map<string, string>;
}

// Stands in for @backstage/plugin-scaffolder-backend-module-github, which the app installs; the
// dry run skips actions without dry-run support, it only needs their ids to exist.
const githubPublishStub = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'github-publish-stub',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(
          createTemplateAction({
            id: 'github:environment:create',
            async handler() {
              throw new Error('not in tests');
            },
          }),
          createTemplateAction({
            id: 'publish:github',
            schema: {
              output: {
                remoteUrl: z => z.string(),
                repoContentsUrl: z => z.string(),
              },
            },
            async handler() {
              throw new Error('not in tests');
            },
          }),
        );
      },
    });
  },
});

/**
 * Starts the real scaffolder backend with this module and runs templates through its dry-run
 * API (POST /api/scaffolder/v2/dry-run), uploading the whole `templates/` folder as the
 * template's directory contents, as the template editor does.
 */
export async function startDryRunBackend(
  options: { config?: object; entities?: Entity[] } = {},
) {
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleMlInfra,
      githubPublishStub,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          ...options.config,
        },
      }),
    ],
  });
  const port = (server.address() as AddressInfo).port;
  const directoryContents = await collectFiles(TEMPLATES_DIR);

  async function dryRun(
    name: string,
    values: Record<string, unknown>,
  ): Promise<DryRunResult> {
    const response = await fetch(
      `http://localhost:${port}/api/scaffolder/v2/dry-run`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: mockCredentials.user.header(),
        },
        body: JSON.stringify({
          template: readTemplate(name),
          values,
          directoryContents,
        }),
      },
    );
    const body = await response.json();
    const files = new Map<string, string>();
    for (const file of body.directoryContents ?? []) {
      files.set(
        file.path,
        Buffer.from(file.base64Content, 'base64').toString('utf8'),
      );
    }
    return { status: response.status, body, files };
  }

  return { dryRun, stop: () => server.close() };
}
