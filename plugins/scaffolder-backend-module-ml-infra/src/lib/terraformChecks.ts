import { parse } from '@cdktf/hcl2json';
import fs from 'fs-extra';
import path from 'node:path';

/** One finding of the rendered-workspace policy check. */
export interface PolicyProblem {
  file: string;
  problem: string;
}

export interface TerraformCheckOptions {
  mandatoryTags: string[];
  allowedRegions: string[];
  allowedInstanceFamilies: string[];
}

// AWS resource types that accept `tags`. Listed rather than guessed from the provider schema,
// which is not available without terraform.
const TAGGABLE = new Set([
  'aws_kms_key',
  'aws_s3_bucket',
  'aws_eks_cluster',
  'aws_eks_node_group',
  'aws_eks_addon',
  'aws_launch_template',
  'aws_iam_role',
  'aws_iam_policy',
  'aws_security_group',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_metric_alarm',
  'aws_sns_topic',
  'aws_sagemaker_model',
  'aws_sagemaker_endpoint_configuration',
  'aws_sagemaker_endpoint',
  'aws_sagemaker_feature_group',
  'aws_sagemaker_domain',
  'aws_dynamodb_table',
  'aws_glue_catalog_database',
  'aws_ecr_repository',
  'aws_db_instance',
  'aws_db_subnet_group',
  'aws_secretsmanager_secret',
  'aws_ecs_cluster',
  'aws_ecs_service',
  'aws_ecs_task_definition',
  'aws_lb',
  'aws_lb_target_group',
  'aws_efs_file_system',
  'aws_appautoscaling_target',
]);

const INSTANCE_TYPE =
  /\b(?:ml\.)?([a-z][a-z0-9-]*[0-9][a-z0-9-]*)\.(?:nano|micro|small|medium|large|\d*xlarge|metal)\b/g;
const REGION = /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?[a-z]+-\d\b/g;

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    yield value;
  } else if (Array.isArray(value)) {
    for (const v of value) yield* strings(v);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) yield* strings(v);
  }
}

/** Every `.tf` file under `root`, skipping `.terraform` and `.git`. */
export async function listTerraformFiles(
  root: string,
  dir = root,
): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (
      entry.name === '.terraform' ||
      entry.name === '.git' ||
      entry.name === 'node_modules'
    )
      continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...(await listTerraformFiles(root, full)));
    } else if (entry.isFile() && entry.name.endsWith('.tf')) {
      out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

/**
 * Parses every `.tf` file under `root` with the HashiCorp HCL parser and checks the module
 * against the guardrails: `locals.mandatory_tags` carries every mandatory tag in the root
 * module, every taggable resource takes `local.tags`, and no instance type or region outside
 * the guardrails appears in any value.
 */
export async function checkTerraform(
  root: string,
  options: TerraformCheckOptions,
): Promise<{ files: string[]; problems: PolicyProblem[] }> {
  const files = await listTerraformFiles(root);
  const problems: PolicyProblem[] = [];
  const localsByDir = new Map<string, Record<string, unknown>>();
  const allowedFamilies = new Set(options.allowedInstanceFamilies);
  const allowedRegions = new Set(options.allowedRegions);

  for (const file of files) {
    let body: Record<string, any>;
    try {
      body = await parse(
        file,
        await fs.readFile(path.join(root, file), 'utf8'),
      );
    } catch (error) {
      problems.push({
        file,
        problem: `does not parse as HCL: ${String(error).replace(
          /^Error: /,
          '',
        )}`,
      });
      continue;
    }
    const dir = path.posix.dirname(file);
    for (const block of (body.locals ?? []) as Record<string, unknown>[]) {
      localsByDir.set(dir, { ...localsByDir.get(dir), ...block });
    }
    for (const [type, byName] of Object.entries(
      (body.resource ?? {}) as Record<string, any>,
    )) {
      for (const [name, blocks] of Object.entries(
        byName as Record<string, any[]>,
      )) {
        const tags = blocks[0]?.tags;
        if (TAGGABLE.has(type) && tags === undefined) {
          problems.push({
            file,
            problem: `resource ${type}.${name} has no tags (use tags = local.tags)`,
          });
        } else if (
          tags !== undefined &&
          !JSON.stringify(tags).includes('local.tags')
        ) {
          problems.push({
            file,
            problem: `resource ${type}.${name} does not take its tags from local.tags`,
          });
        }
      }
    }
    for (const text of strings(body)) {
      for (const match of text.matchAll(INSTANCE_TYPE)) {
        const family = match[1];
        if (!allowedFamilies.has(family)) {
          problems.push({
            file,
            problem: `instance type '${match[0]}' is of family '${family}', which the guardrails do not allow`,
          });
        }
      }
      for (const match of text.matchAll(REGION)) {
        if (!allowedRegions.has(match[0])) {
          problems.push({
            file,
            problem: `region '${match[0]}' is not allowed by the guardrails`,
          });
        }
      }
    }
  }

  if (files.some(f => !f.includes('/'))) {
    const rootLocals = localsByDir.get('.') ?? {};
    const mandatory = rootLocals.mandatory_tags as
      | Record<string, unknown>
      | undefined;
    if (!mandatory || typeof mandatory !== 'object') {
      problems.push({
        file: '(root module)',
        problem: 'no locals.mandatory_tags map',
      });
    } else {
      for (const key of options.mandatoryTags.filter(k => !(k in mandatory))) {
        problems.push({
          file: '(root module)',
          problem: `mandatory tag '${key}' missing from locals.mandatory_tags`,
        });
      }
    }
    if (
      rootLocals.tags === undefined ||
      !JSON.stringify(rootLocals.tags).includes('local.mandatory_tags')
    ) {
      problems.push({
        file: '(root module)',
        problem: 'locals.tags must merge local.mandatory_tags',
      });
    }
  }
  return { files, problems };
}
