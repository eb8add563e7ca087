import fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import {
  DryRunResult,
  listTemplates,
  readTemplate,
  startDryRunBackend,
} from './__testUtils__/dryRun';
import {
  FolderOutcome,
  TerraformToolchain,
  checkModuleRepository,
  createLimiter,
  failures,
  terraformToolchain,
} from './__testUtils__/terraformConformance';
import {
  DEFAULT_GUARDRAILS,
  MODULE_NAME_PATTERN,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { findRepoRoot } from './lib/paths';

/*
 * Template conformance: every golden path, rendered through the real scaffolder dry run for each
 * choice that changes its Terraform, must pass real terraform the way the generated CI runs it.
 * See docs/golden-paths.md.
 */

// Dozens of terraform processes on a busy two-core machine: minutes, not seconds.
jest.setTimeout(30 * 60_000);

/** The shortest and longest module names the template's form accepts. */
function extremeNames(template: string): [string, string] {
  const name = readTemplate(template).spec.parameters.find(
    (step: any) => step.properties?.name,
  ).properties.name;
  const make = (length: number) =>
    `n${'x'.repeat(length - 2)}${length % 10}`.slice(0, length);
  const names: [string, string] = [make(name.minLength), make(name.maxLength)];
  for (const n of names) {
    if (!MODULE_NAME_PATTERN.test(n)) {
      throw new Error(`${template}: ${n} is not a valid module name`);
    }
  }
  return names;
}

interface Variant {
  template: string;
  variant: string;
  validate: 'all' | 'root';
  values: Record<string, unknown>;
}

function takesAccelerator(template: string): boolean {
  return readTemplate(template).spec.parameters.some(
    (step: any) => step.properties?.acceleratorType,
  );
}

function baseValues(name: string) {
  return {
    name,
    description: 'Rendered by the template conformance suite',
    owner: 'group:default/ml-platform',
    system: 'system:default/training-platform',
    cloud: 'aws',
    region: 'us-east-1',
    environments: ['dev', 'staging', 'prod'],
    costCenter: 'cc-1234',
    dataClassification: 'internal',
    publishTarget: 'local',
  };
}

/**
 * Every accelerator family the guardrails offer (cpu included) for the paths that take one, and
 * the shortest and longest module names the form accepts, which drive every derived AWS name.
 * The first render of each path also runs `init` + `validate` in every folder, as the generated
 * CI does; the others validate the root and plan every example and environment (a plan validates
 * first), which keeps the suite to one provider schema load per render.
 */
function variantsOf(template: string): Variant[] {
  const families = takesAccelerator(template)
    ? DEFAULT_GUARDRAILS.acceleratorFamilies.map(f => f.name)
    : [undefined];
  const names = extremeNames(template);
  const variants = families.map((family, i) => {
    const name = names[i] ?? `c-${family}`;
    return {
      template,
      variant: [family, `name ${name.length} chars`].filter(Boolean).join(', '),
      validate: i === 0 ? ('all' as const) : ('root' as const),
      values: {
        ...baseValues(name),
        ...(family ? { acceleratorType: family } : {}),
      },
    };
  });
  if (variants.length < names.length) {
    variants.push({
      template,
      variant: `name ${names[1].length} chars`,
      validate: 'root',
      values: baseValues(names[1]),
    });
  }
  return variants;
}

function checksCell(outcome: FolderOutcome) {
  return outcome.checks
    .map(c => `${c.check} ${c.ok ? 'ok' : 'FAIL'}`)
    .join(', ');
}

function matrixRows(variant: Variant, outcomes: FolderOutcome[]) {
  return outcomes.map(outcome =>
    [
      variant.template,
      variant.variant,
      outcome.folder,
      outcome.ok ? 'pass' : 'FAIL',
      outcome.reused ? `${checksCell(outcome)} (reused)` : checksCell(outcome),
      outcome.reused
        ? '-'
        : outcome.checks.reduce((s, c) => s + c.seconds, 0).toFixed(1),
    ].join(' | '),
  );
}

const MATRIX_HEADER = [
  'golden path',
  'variant',
  'folder',
  'result',
  'checks',
  'seconds',
].join(' | ');

describe('golden-path templates under real terraform', () => {
  const repoRoot = findRepoRoot(__dirname);
  const variants = listTemplates().flatMap(variantsOf);
  const limit = createLimiter(2);
  const cache: NonNullable<
    Parameters<typeof checkModuleRepository>[1]['cache']
  > = new Map();
  const rows: { variant: Variant; outcomes: FolderOutcome[] }[] = [];
  let toolchain: TerraformToolchain;
  let backend: Awaited<ReturnType<typeof startDryRunBackend>>;
  let workDir: string;
  const started = Date.now();

  beforeAll(async () => {
    toolchain = terraformToolchain(repoRoot);
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ml-infra-conformance-'));
    backend = await startDryRunBackend();
  });

  afterAll(async () => {
    await backend?.stop();
    if (toolchain && rows.length) {
      const outcomes = rows.flatMap(r => r.outcomes);
      process.stdout.write(
        `Template conformance (terraform ${toolchain.version}): ${
          rows.length
        } renders, ${outcomes.length} folder checks, ${
          outcomes.filter(o => !o.ok).length
        } failed, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
      );
    }
    if (workDir && !process.env.ML_INFRA_KEEP_CONFORMANCE_DIR) {
      await fs.remove(workDir);
    }
  });

  it('covers every golden path, each accelerator family and both name lengths', () => {
    expect(new Set(variants.map(v => v.template))).toEqual(
      new Set(listTemplates()),
    );
    const accelerated = listTemplates().filter(takesAccelerator);
    expect(accelerated.length).toBeGreaterThan(0);
    for (const template of accelerated) {
      expect(
        variants
          .filter(v => v.template === template)
          .map(v => v.values.acceleratorType),
      ).toEqual(
        expect.arrayContaining([
          'cpu',
          ...DEFAULT_GUARDRAILS.acceleratorFamilies.map(f => f.name),
        ]),
      );
    }
    for (const template of listTemplates()) {
      const names = variants
        .filter(v => v.template === template)
        .map(v => (v.values.name as string).length);
      expect([Math.min(...names), Math.max(...names)]).toEqual([3, 40]);
    }
  });

  it.each(variants.map(v => [`${v.template} (${v.variant})`, v] as const))(
    '%s passes fmt, validate and its terraform tests',
    async (_label, variant) => {
      const result: DryRunResult = await backend.dryRun(
        variant.template,
        variant.values,
      );
      expect({
        status: result.status,
        errors: result.status === 200 ? undefined : result.body,
      }).toEqual({ status: 200, errors: undefined });

      const repoDir = path.join(
        workDir,
        `${variant.template}-${variant.variant.replace(/[^a-z0-9]+/g, '-')}`,
      );
      for (const [file, content] of result.files) {
        await fs.outputFile(path.join(repoDir, file), content);
      }
      const pinned = /source\s*=\s*"git::([^"?]+)\?ref=v0\.1\.0"/.exec(
        result.files.get('environments/dev/main.tf') ?? '',
      );
      expect(pinned?.[1]).toMatch(
        new RegExp(`^file://.*/\\.data/repos/${variant.values.name}$`),
      );
      expect(
        [...result.files.keys()].filter(f => f.endsWith('.tftest.hcl')),
      ).toEqual(expect.arrayContaining(['tests/examples.tftest.hcl']));

      const outcomes = await checkModuleRepository(repoDir, {
        toolchain,
        limit,
        cache,
        validate: variant.validate,
        pinnedModuleUrl: pinned![1],
      });
      rows.push({ variant, outcomes });
      // The matrix, one render at a time, so a long run shows its progress.
      process.stdout.write(
        `${[
          ...(rows.length === 1 ? [MATRIX_HEADER] : []),
          ...matrixRows(variant, outcomes),
        ].join('\n')}\n`,
      );

      // Terraform's own output first: a failing check ends its folder, and says why.
      expect(failures(outcomes)).toEqual([]);
      expect(outcomes.map(o => o.folder)).toEqual(
        expect.arrayContaining([
          '(repository)',
          '.',
          'examples/basic',
          'examples/complete',
          'environments/dev',
          'environments/staging',
          'environments/prod',
        ]),
      );
      expect(
        outcomes.find(o => o.folder === '.')!.checks.map(c => c.check),
      ).toEqual(['init', 'validate', 'test']);
      for (const folder of outcomes.filter(o =>
        /^(examples|environments)\//.test(o.folder),
      )) {
        expect(folder.checks.map(c => c.check)).toContain('plan');
      }
    },
  );
});
