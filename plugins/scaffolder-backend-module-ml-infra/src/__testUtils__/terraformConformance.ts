/*
 * Runs real terraform over a generated module repository: fmt, init + validate of every folder
 * holding Terraform, and the repository's own `terraform test` files. Shared by the template
 * conformance suite (jest) and the create-module browser journey (Playwright), so this file only
 * depends on Node built-ins.
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Environment for terraform processes: CLI config with the provider mirror and plugin cache. */
export interface TerraformToolchain {
  env: NodeJS.ProcessEnv;
  version: string;
}

function cliConfigUsable(file: string | undefined): file is string {
  return (
    !!file &&
    fs.existsSync(file) &&
    fs.readFileSync(file, 'utf8').includes('filesystem_mirror')
  );
}

/**
 * Finds terraform and a CLI config that installs hashicorp/aws from the local mirror. The config
 * is written by `ensure_terraform` (scripts/lib/services.sh), the one place that knows how to find
 * the mirror; when the environment does not carry it yet, that function is run here. Throws an
 * error saying what is missing and how to get it: the suite must fail, never skip.
 */
export function terraformToolchain(repoRoot: string): TerraformToolchain {
  let version: string;
  try {
    version = JSON.parse(
      execFileSync('terraform', ['version', '-json'], { encoding: 'utf8' }),
    ).terraform_version;
  } catch (error) {
    throw new Error(
      `terraform is required by the template conformance checks and could not be run (${String(
        error,
      )}). Install Terraform >= 1.10 and a filesystem mirror of hashicorp/aws, then run ` +
        '`source scripts/lib/services.sh && ensure_terraform` (see docs/golden-paths.md).',
    );
  }
  let cliConfig = process.env.TF_CLI_CONFIG_FILE;
  if (!cliConfigUsable(cliConfig)) {
    try {
      cliConfig = execFileSync(
        'bash',
        [
          '-c',
          'source scripts/lib/services.sh && ensure_terraform >&2 && printf %s "$TF_CLI_CONFIG_FILE"',
        ],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          env: { ...process.env, CI: 'true', ML_INFRA_ROOT: repoRoot },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (error: any) {
      throw new Error(
        `No usable terraform CLI configuration: ${String(
          error.stderr || error,
        ).trim()}`,
      );
    }
    if (!cliConfigUsable(cliConfig)) {
      throw new Error(
        `ensure_terraform did not write a CLI config with a provider mirror (${cliConfig})`,
      );
    }
  }
  return {
    version,
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      // Never reach a real account from a test, whatever the developer's shell holds.
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
    },
  };
}

/** Runs at most `limit` tasks at once; the rest wait in order. */
export function createLimiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) {
      await new Promise<void>(resolve => queue.push(resolve));
    } else {
      active++;
    }
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) {
        next();
      } else {
        active--;
      }
    }
  };
}

/**
 * `terraform init` runs one at a time: every init installs the provider through the shared plugin
 * cache, which Terraform documents as not safe for concurrent inits. Validate, test and plan, the
 * slow part, still run in parallel.
 */
const oneInitAtATime = createLimiter(1);

export interface CommandResult {
  ok: boolean;
  output: string;
  seconds: number;
}

/** Runs one terraform command; output is stdout and stderr interleaved. */
export function terraform(
  toolchain: TerraformToolchain,
  cwd: string,
  args: string[],
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise(resolve => {
    const child = spawn('terraform', [...args], {
      cwd,
      env: toolchain.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', c => chunks.push(c));
    child.stderr.on('data', c => chunks.push(c));
    child.on('error', error =>
      resolve({
        ok: false,
        output: String(error),
        seconds: (Date.now() - started) / 1000,
      }),
    );
    child.on('close', code =>
      resolve({
        ok: code === 0,
        output: Buffer.concat(chunks).toString('utf8'),
        seconds: (Date.now() - started) / 1000,
      }),
    );
  });
}

function git(cwd: string, args: string[]) {
  execFileSync(
    'git',
    [
      '-c',
      'user.name=conformance',
      '-c',
      'user.email=conformance@ml-infra.invalid',
      '-c',
      'init.defaultBranch=main',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd, stdio: 'pipe' },
  );
}

const SKIPPED_DIRS = new Set(['.terraform', '.git', 'node_modules', 'test']);

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name) && entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...walk(full, base));
    } else if (entry.isFile()) {
      out.push(path.relative(base, full).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

/** Every folder of the repository that holds `.tf` files, root first ('.'). */
export function terraformFolders(repoDir: string): string[] {
  const dirs = new Set(
    walk(repoDir)
      .filter(f => f.endsWith('.tf'))
      .map(f => path.posix.dirname(f)),
  );
  // '.' sorts before every other folder name.
  return [...dirs].sort((a, b) => a.localeCompare(b));
}

function hashFiles(dir: string, files: string[]) {
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    hash.update(fs.readFileSync(path.join(dir, file))).update('\0');
  }
  return hash.digest('hex');
}

const SOURCE = /^\s*source\s*=\s*"([^"]+)"/gm;

/**
 * Identity of what `init` + `validate` of a folder depends on: its own files, the folders its
 * local module sources point at, and for a git source the whole repository it pins (the module
 * repository under test). Folders with the same identity are checked once.
 */
function folderIdentity(
  repoDir: string,
  folder: string,
  repoHash: string,
  seen = new Set<string>(),
): string {
  const abs = path.join(repoDir, folder);
  const files = fs
    .readdirSync(abs)
    .filter(f => f.endsWith('.tf') || f.endsWith('.tftest.hcl'))
    .sort();
  const hash = crypto.createHash('sha256').update(hashFiles(abs, files));
  seen.add(folder);
  for (const file of files) {
    for (const match of fs
      .readFileSync(path.join(abs, file), 'utf8')
      .matchAll(SOURCE)) {
      const source = match[1];
      if (source.startsWith('./') || source.startsWith('../')) {
        const target = path.posix.normalize(path.posix.join(folder, source));
        if (!seen.has(target)) {
          hash.update(
            `${source}=${folderIdentity(repoDir, target, repoHash, seen)}`,
          );
        }
      } else if (source.startsWith('git::')) {
        hash.update(`git=${repoHash}`);
      }
    }
  }
  return hash.digest('hex');
}

export type Check = 'fmt' | 'init' | 'validate' | 'test' | 'plan';

export interface CheckOutcome {
  check: Check;
  ok: boolean;
  seconds: number;
  output: string;
}

export interface FolderOutcome {
  folder: string;
  /** The checks run, in order; the first failing one ends the folder. */
  checks: CheckOutcome[];
  /** Identical to a folder checked earlier; its outcome is reused. */
  reused: boolean;
  ok: boolean;
}

type Cache = Map<string, Promise<{ checks: CheckOutcome[]; ok: boolean }>>;

export interface ConformanceOptions {
  toolchain: TerraformToolchain;
  limit: ReturnType<typeof createLimiter>;
  /** Outcomes by folder identity, shared between repositories so identical folders run once. */
  cache?: Cache;
  /**
   * `all`: init + validate in every Terraform folder. `root`: only in the module root; the other
   * folders are still planned by `terraform test` (a plan validates first), which costs one
   * provider schema load for all of them instead of one per folder.
   */
  validate: 'all' | 'root';
  /**
   * Module source the environment folders pin (`git::<url>?ref=...`). When set, the rendered
   * repository is committed and tagged in `repoDir` and the sources are rewritten to it, in the
   * working copy only; without it the sources are used as they are (an already published repo).
   */
  pinnedModuleUrl?: string;
  tag?: string;
}

/** Test file the check adds (working copy only): plans every environment folder. */
export const ENVIRONMENTS_TEST_FILE =
  'tests/conformance_environments.tftest.hcl';

const RUN_RESULT = /^\s*run "([^"]+)"\.\.\. (pass|fail|skip)/gm;

function runName(folder: string) {
  return folder.replace(/[^A-Za-z0-9]+/g, '_');
}

/** Mocks of the AWS data sources, shipped in every generated repository's tests. */
export const MOCKS_DIR = 'tests/aws';

/**
 * The environment folders are not planned by the module's own tests (in the module's CI they pin
 * an already published version); the check plans them too, with the module's own mocks.
 */
function writeEnvironmentsTest(repoDir: string, environments: string[]) {
  if (!fs.existsSync(path.join(repoDir, MOCKS_DIR))) {
    throw new Error(`${MOCKS_DIR} (mocks of the AWS data sources) is missing`);
  }
  const runs = environments.map(
    folder =>
      `run "${runName(
        folder,
      )}" {\n  command = plan\n\n  module {\n    source = "./${folder}"\n  }\n}\n`,
  );
  fs.writeFileSync(
    path.join(repoDir, ENVIRONMENTS_TEST_FILE),
    [`mock_provider "aws" {\n  source = "./${MOCKS_DIR}"\n}\n`, ...runs].join(
      '\n',
    ),
  );
}

/**
 * Checks one generated repository in `repoDir`: `fmt -check -recursive` over the whole tree;
 * `init -backend=false` + `validate` in the module root (and, with `validate: 'all'`, in every
 * other Terraform folder); `terraform test` in the root, which runs the mock-provider plans the
 * repository ships for its examples plus a plan of every environment folder. The outcome of each
 * planned folder is read from terraform's per-run report.
 */
export async function checkModuleRepository(
  repoDir: string,
  options: ConformanceOptions,
): Promise<FolderOutcome[]> {
  const { toolchain, limit } = options;
  const cache: Cache = options.cache ?? new Map();

  const fmt = await limit(() =>
    terraform(toolchain, repoDir, ['fmt', '-check', '-recursive', '-diff']),
  );

  const repoHash = hashFiles(repoDir, walk(repoDir));
  const folders = terraformFolders(repoDir);
  const environments = folders.filter(f => f.startsWith('environments/'));
  const examples = folders.filter(f => f.startsWith('examples/'));

  if (options.pinnedModuleUrl) {
    const tag = options.tag ?? 'v0.1.0';
    if (!fs.existsSync(path.join(repoDir, '.git'))) {
      git(repoDir, ['init', '-q']);
      git(repoDir, ['add', '-A']);
      git(repoDir, ['commit', '-q', '-m', 'Rendered by the golden path']);
      git(repoDir, ['tag', tag]);
    }
    const from = `git::${options.pinnedModuleUrl}?ref=`;
    const to = `git::file://${repoDir}?ref=`;
    for (const folder of environments) {
      for (const file of fs.readdirSync(path.join(repoDir, folder))) {
        const full = path.join(repoDir, folder, file);
        if (!file.endsWith('.tf')) continue;
        const text = fs.readFileSync(full, 'utf8');
        if (text.includes(from)) {
          fs.writeFileSync(full, text.split(from).join(to));
        }
      }
    }
  }
  writeEnvironmentsTest(repoDir, environments);

  async function run(folder: string, withTest: boolean) {
    const dir = path.join(repoDir, folder);
    const checks: CheckOutcome[] = [];
    const steps: [Check, string[]][] = [
      ['init', ['init', '-backend=false', '-input=false', '-no-color']],
      ['validate', ['validate', '-no-color']],
    ];
    if (withTest) steps.push(['test', ['test', '-no-color']]);
    for (const [check, args] of steps) {
      const result =
        check === 'init'
          ? await oneInitAtATime(() => terraform(toolchain, dir, args))
          : await terraform(toolchain, dir, args);
      checks.push({ check, ...result });
      if (!result.ok) break;
    }
    return { checks, ok: checks.every(c => c.ok) };
  }

  // Nested modules are identical across renders, so checking them each time costs nothing.
  const validated =
    options.validate === 'all'
      ? folders
      : folders.filter(f => f === '.' || f.startsWith('modules/'));
  const results = await Promise.all(
    validated.map(async folder => {
      // The root's outcome includes the tests, which reach into every folder of the repository.
      const identity =
        folder === '.'
          ? `repository:${repoHash}`
          : folderIdentity(repoDir, folder, repoHash);
      const reused = cache.has(identity);
      if (!reused) {
        cache.set(
          identity,
          limit(() => run(folder, folder === '.')),
        );
      }
      return { folder, reused, ...(await cache.get(identity)!) };
    }),
  );

  const test = results[0].checks.find(c => c.check === 'test');
  const runs = new Map(
    [...(test?.output ?? '').matchAll(RUN_RESULT)].map(m => [m[1], m[2]]),
  );
  const outcomes: FolderOutcome[] = [
    {
      folder: '(repository)',
      checks: [{ check: 'fmt', ...fmt }],
      reused: false,
      ok: fmt.ok,
    },
  ];
  for (const folder of folders) {
    const validatedOutcome = results.find(r => r.folder === folder);
    const checks = [...(validatedOutcome?.checks ?? [])];
    if ([...examples, ...environments].includes(folder)) {
      const status = runs.get(runName(folder));
      checks.push({
        check: 'plan',
        ok: status === 'pass',
        seconds: 0,
        output:
          status === undefined
            ? `terraform test reported no run "${runName(folder)}"\n${
                test?.output ?? ''
              }`
            : `run "${runName(folder)}" ${status}\n${test?.output ?? ''}`,
      });
    }
    outcomes.push({
      folder,
      checks,
      reused: validatedOutcome?.reused ?? false,
      ok: checks.length > 0 && checks.every(c => c.ok),
    });
  }
  return outcomes;
}

/** The failing checks of a set of outcomes, with the tail of terraform's output. */
export function failures(outcomes: FolderOutcome[]) {
  return outcomes.flatMap(o =>
    o.checks
      .filter(c => !c.ok)
      .map(c => ({
        folder: o.folder,
        check: c.check,
        output: c.output.trim().split('\n').slice(-40).join('\n'),
      })),
  );
}
