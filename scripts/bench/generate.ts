/**
 * Input generators: realistic tool output written to a temp dir, so uploads stream from disk.
 *
 * - `go test -json` (test2json) of Terratest suites: packages, parallel tests (pause/cont),
 *   subtests, terraform/Terratest log lines, long single-line `terraform output -json` dumps,
 *   skips, a few failures with assertion traces, non-JSON build lines.
 * - JUnit XML as go-junit-report/gotestsum write it: suites per package, testcases with
 *   system-out, failures with CDATA traces, skips, escaped attributes.
 * - `terraform show -json` of a large drift plan: one line, thousands of resource_drift and
 *   resource_changes entries, planned_values and prior_state.
 * - Small uploads of each kind for the sustained-load test.
 */
import fs from 'fs';
import { once } from 'events';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/** Seeded PRNG (pure-rand xoroshiro128+), numbers in [0, 1), so runs compare. */
export function rng(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => unsafeUniformIntDistribution(0, 0xffffffff, generator) / 2 ** 32;
}

class ChunkWriter {
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;
  private readonly out: fs.WriteStream;

  constructor(file: string) {
    this.out = fs.createWriteStream(file);
  }

  async write(text: string) {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending > 1 << 20) {
      await this.flush();
    }
  }

  private async flush() {
    const data = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.bytes += data.length;
    if (!this.out.write(data)) {
      await once(this.out, 'drain');
    }
  }

  async close() {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  /** Bytes written plus those still buffered (approximate for non-ASCII; all ours is ASCII). */
  get size() {
    return this.bytes + this.pending;
  }
}

const RESOURCE_TYPES = [
  'aws_eks_node_group',
  'aws_eks_cluster',
  'aws_iam_role',
  'aws_iam_role_policy_attachment',
  'aws_s3_bucket',
  'aws_s3_bucket_versioning',
  'aws_sagemaker_endpoint',
  'aws_sagemaker_model',
  'aws_security_group_rule',
  'aws_kms_key',
  'aws_cloudwatch_log_group',
  'aws_fsx_lustre_file_system',
];
const GPU_POOLS = ['a100', 'h100', 'l4', 't4', 'a10g', 'inf2'];

function terraformLogLines(
  test: string,
  time: () => string,
  random: () => number,
  count: number,
): string[] {
  const lines: string[] = [];
  const stamp = () => time().slice(0, 19) + 'Z';
  lines.push(
    `${test} ${stamp()} retry.go:91: terraform [init -upgrade=false]\n`,
    `${test} ${stamp()} logger.go:66: Running command terraform with args [init -upgrade=false -backend-config=bucket=acme-tfstate-ml]\n`,
    `${test} ${stamp()} logger.go:66: Initializing the backend...\n`,
    `${test} ${stamp()} logger.go:66: - Installing hashicorp/aws v5.62.0...\n`,
  );
  for (let i = 0; i < count; i++) {
    const type = RESOURCE_TYPES[Math.floor(random() * RESOURCE_TYPES.length)];
    const pool = GPU_POOLS[Math.floor(random() * GPU_POOLS.length)];
    const r = random();
    if (r < 0.45) {
      lines.push(
        `${test} ${stamp()} logger.go:66: module.training.${type}.this["${pool}"]: Still creating... [${Math.floor(
          random() * 600,
        )}s elapsed]\n`,
      );
    } else if (r < 0.8) {
      lines.push(
        `${test} ${stamp()} logger.go:66: module.training.${type}.this["${pool}"]: Creation complete after ${Math.floor(
          random() * 900,
        )}s [id=${type}-${Math.floor(random() * 1e12).toString(36)}-${pool}]\n`,
      );
    } else if (r < 0.98) {
      lines.push(
        `${test} ${stamp()} logger.go:66:   # module.training.${type}.this["${pool}"] will be created\n`,
        `${test} ${stamp()} logger.go:66:   + resource "${type}" "this" {\n`,
        `${test} ${stamp()} logger.go:66:       + arn = (known after apply)\n`,
        `${test} ${stamp()} logger.go:66:       + tags = { "cost-center" = "ml-${Math.floor(
          random() * 90,
        )}", "data-classification" = "internal", "managed-by" = "terraform" }\n`,
      );
    } else {
      // A long single line: `terraform output -json` as Terratest logs it.
      const outputs: Record<string, unknown> = {};
      const n = 5 + Math.floor(random() * 20);
      for (let k = 0; k < n; k++) {
        outputs[`output_${k}`] = {
          sensitive: false,
          type: ['list', 'string'],
          value: GPU_POOLS.map(
            p =>
              `arn:aws:eks:us-east-1:123456789012:nodegroup/ml-${p}-${k}/${Math.floor(
                random() * 1e9,
              )}`,
          ),
        };
      }
      lines.push(
        `${test} ${stamp()} logger.go:66: ${JSON.stringify(outputs)}\n`,
      );
    }
  }
  lines.push(
    `${test} ${stamp()} logger.go:66: Apply complete! Resources: ${count} added, 0 changed, 0 destroyed.\n`,
  );
  return lines;
}

function clock(startMs: number) {
  let t = startMs * 1000; // microseconds
  return (stepMicros = 137) => {
    t += stepMicros;
    const ms = Math.floor(t / 1000);
    const micros = String(Math.floor(t % 1000)).padStart(3, '0');
    return `${new Date(ms).toISOString().slice(0, 23)}${micros}Z`;
  };
}

export interface GeneratedTests {
  bytes: number;
  tests: number;
  failed: number;
}

/** A `go test -json` stream of Terratest suites of about `targetBytes`. */
export async function writeGoTestJson(
  file: string,
  targetBytes: number,
  seed = 1,
  shape: { logLines: [number, number]; testsPerPackage: number } = {
    logLines: [6, 26],
    testsPerPackage: 40,
  },
): Promise<GeneratedTests> {
  const random = rng(seed);
  const out = new ChunkWriter(file);
  const time = clock(Date.UTC(2026, 2, 2, 10));
  let tests = 0;
  let failed = 0;
  const ev = (o: Record<string, unknown>) => `${JSON.stringify(o)}\n`;
  let pkgIndex = 0;
  await out.write(`# github.com/acme/terraform-aws-ml-module/test\n`);
  await out.write(
    `go: downloading github.com/gruntwork-io/terratest v0.47.1\n`,
  );
  while (out.size < targetBytes) {
    const Package = `github.com/acme/terraform-aws-ml-module/test/suite${pkgIndex++}`;
    await out.write(ev({ Time: time(), Action: 'start', Package }));
    let pkgFailed = false;
    // Tests of a package run in parallel groups of 4: run+pause, then interleaved output.
    const testsInPackage = shape.testsPerPackage;
    for (let g = 0; g < testsInPackage / 4 && out.size < targetBytes; g++) {
      const group = Array.from({ length: 4 }, (_, k) => ({
        name: `TestMlModule${g * 4 + k}${
          ['Plan', 'Apply', 'Serving', 'Network'][k]
        }`,
        sub: Array.from(
          { length: 2 + Math.floor(random() * 3) },
          (_, s) => `${GPU_POOLS[s % GPU_POOLS.length]}_pool_${s}`,
        ),
        skip: random() < 0.03,
      }));
      for (const t of group) {
        await out.write(
          ev({ Time: time(), Action: 'run', Package, Test: t.name }) +
            ev({
              Time: time(),
              Action: 'output',
              Package,
              Test: t.name,
              Output: `=== RUN   ${t.name}\n`,
            }) +
            ev({
              Time: time(),
              Action: 'output',
              Package,
              Test: t.name,
              Output: `=== PAUSE ${t.name}\n`,
            }) +
            ev({ Time: time(), Action: 'pause', Package, Test: t.name }),
        );
      }
      for (const t of group) {
        await out.write(
          ev({ Time: time(), Action: 'cont', Package, Test: t.name }) +
            ev({
              Time: time(),
              Action: 'output',
              Package,
              Test: t.name,
              Output: `=== CONT  ${t.name}\n`,
            }),
        );
      }
      // Interleave the group's subtests.
      const results = new Map<string, boolean>();
      const maxSub = Math.max(...group.map(t => t.sub.length));
      for (let s = 0; s < maxSub; s++) {
        for (const t of group) {
          if (t.skip || s >= t.sub.length) continue;
          const Test = `${t.name}/${t.sub[s]}`;
          tests += 1;
          const fail = random() < 0.03;
          let text =
            ev({ Time: time(), Action: 'run', Package, Test }) +
            ev({
              Time: time(),
              Action: 'output',
              Package,
              Test,
              Output: `=== RUN   ${Test}\n`,
            });
          for (const line of terraformLogLines(
            Test,
            time,
            random,
            shape.logLines[0] +
              Math.floor(random() * (shape.logLines[1] - shape.logLines[0])),
          )) {
            text += ev({
              Time: time(),
              Action: 'output',
              Package,
              Test,
              Output: line,
            });
          }
          if (fail) {
            failed += 1;
            text +=
              ev({
                Time: time(),
                Action: 'output',
                Package,
                Test,
                Output: `    plan_test.go:${40 + s}: \n`,
              }) +
              ev({
                Time: time(),
                Action: 'output',
                Package,
                Test,
                Output: `        \tError Trace:\t/home/runner/work/ml/test/plan_test.go:${
                  40 + s
                }\n`,
              }) +
              ev({
                Time: time(),
                Action: 'output',
                Package,
                Test,
                Output: `        \tError:      \tNot equal: \n        \t            \texpected: "p4d.24xlarge"\n        \t            \tactual  : "g5.12xlarge"\n`,
              }) +
              ev({
                Time: time(),
                Action: 'output',
                Package,
                Test,
                Output: `        \tTest:       \t${Test}\n`,
              });
            results.set(t.name, false);
          }
          const elapsed = Math.round(random() * 60000) / 100;
          text +=
            ev({
              Time: time(),
              Action: 'output',
              Package,
              Test,
              Output: `    --- ${
                fail ? 'FAIL' : 'PASS'
              }: ${Test} (${elapsed.toFixed(2)}s)\n`,
            }) +
            ev({
              Time: time(),
              Action: fail ? 'fail' : 'pass',
              Package,
              Test,
              Elapsed: elapsed,
            });
          await out.write(text);
        }
      }
      for (const t of group) {
        tests += 1;
        const elapsed = Math.round(random() * 180000) / 100;
        if (t.skip) {
          await out.write(
            ev({
              Time: time(),
              Action: 'output',
              Package,
              Test: t.name,
              Output: `    apply_test.go:21: set RUN_APPLY_TESTS=1 to run apply tests\n`,
            }) +
              ev({
                Time: time(),
                Action: 'output',
                Package,
                Test: t.name,
                Output: `--- SKIP: ${t.name} (0.00s)\n`,
              }) +
              ev({
                Time: time(),
                Action: 'skip',
                Package,
                Test: t.name,
                Elapsed: 0,
              }),
          );
          continue;
        }
        const ok = results.get(t.name) !== false;
        if (!ok) {
          failed += 1;
          pkgFailed = true;
        }
        await out.write(
          ev({
            Time: time(),
            Action: 'output',
            Package,
            Test: t.name,
            Output: `--- ${ok ? 'PASS' : 'FAIL'}: ${t.name} (${elapsed.toFixed(
              2,
            )}s)\n`,
          }) +
            ev({
              Time: time(),
              Action: ok ? 'pass' : 'fail',
              Package,
              Test: t.name,
              Elapsed: elapsed,
            }),
        );
      }
    }
    const elapsed = Math.round(random() * 400000) / 100;
    await out.write(
      ev({
        Time: time(),
        Action: 'output',
        Package,
        Output: pkgFailed ? 'FAIL\n' : 'PASS\n',
      }) +
        ev({
          Time: time(),
          Action: 'output',
          Package,
          Output: `${
            pkgFailed ? 'FAIL' : 'ok  '
          }\t${Package}\t${elapsed.toFixed(3)}s\n`,
        }) +
        ev({
          Time: time(),
          Action: pkgFailed ? 'fail' : 'pass',
          Package,
          Elapsed: elapsed,
        }),
    );
  }
  await out.close();
  return { bytes: out.bytes, tests, failed };
}

function xmlEscape(text: string) {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A JUnit XML report (go-junit-report / gotestsum style) of about `targetBytes`. */
export async function writeJunitXml(
  file: string,
  targetBytes: number,
  seed = 2,
  casesPerSuite = 60,
): Promise<GeneratedTests> {
  const random = rng(seed);
  const out = new ChunkWriter(file);
  const time = clock(Date.UTC(2026, 2, 2, 10));
  let tests = 0;
  let failed = 0;
  await out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n`);
  let pkg = 0;
  while (out.size < targetBytes) {
    const suite = `github.com/acme/terraform-aws-ml-module/test/suite${pkg++}`;
    let body = '';
    let n = 0;
    let f = 0;
    let sk = 0;
    for (let i = 0; i < casesPerSuite; i++) {
      const name = `TestMlModule${i}/${GPU_POOLS[i % GPU_POOLS.length]}_pool`;
      const seconds = (random() * 600).toFixed(3);
      n += 1;
      const r = random();
      const log = terraformLogLines(
        name,
        time,
        random,
        1 + Math.floor(random() * 5),
      ).join('');
      if (r < 0.03) {
        f += 1;
        body +=
          `\t\t<testcase classname="${suite}" name="${name}" time="${seconds}">\n` +
          `\t\t\t<failure message="Failed: expected &quot;p4d.24xlarge&quot; &lt;got g5&gt;" type=""><![CDATA[    plan_test.go:48: \n        \tError Trace:\tplan_test.go:48\n        \tError:      \tNot equal: \n        \t            \texpected: "p4d.24xlarge"\n        \t            \tactual  : "g5.12xlarge"\n${log}]]></failure>\n` +
          `\t\t</testcase>\n`;
      } else if (r < 0.06) {
        sk += 1;
        body +=
          `\t\t<testcase classname="${suite}" name="${name}" time="0.000">\n` +
          `\t\t\t<skipped message="apply_test.go:21: set RUN_APPLY_TESTS=1 to run apply tests"></skipped>\n` +
          `\t\t</testcase>\n`;
      } else {
        body +=
          `\t\t<testcase classname="${suite}" name="${name}" time="${seconds}">\n` +
          `\t\t\t<system-out>${xmlEscape(log)}</system-out>\n` +
          `\t\t</testcase>\n`;
      }
    }
    tests += n;
    failed += f;
    await out.write(
      `\t<testsuite name="${suite}" tests="${n}" failures="${f}" errors="0" skipped="${sk}" time="${(
        random() * 4000
      ).toFixed(3)}" timestamp="${time().slice(0, 19)}Z">\n` +
        `\t\t<properties>\n\t\t\t<property name="go.version" value="go1.23.4 linux/amd64"></property>\n\t\t</properties>\n` +
        body +
        `\t</testsuite>\n`,
    );
  }
  await out.write(`</testsuites>\n`);
  await out.close();
  return { bytes: out.bytes, tests, failed };
}

function resourceAttributes(
  random: () => number,
  type: string,
  name: string,
  k: number,
) {
  const pool = GPU_POOLS[k % GPU_POOLS.length];
  return {
    arn: `arn:aws:${type.split('_')[1]}:us-east-1:123456789012:${name}/${k}`,
    id: `${type}-${k}-${Math.floor(random() * 1e12).toString(36)}`,
    name: `ml-${pool}-${k}`,
    region: 'us-east-1',
    instance_types: [
      `${['p4d', 'p5', 'g5', 'g6'][k % 4]}.${
        ['24xlarge', '48xlarge', '12xlarge'][k % 3]
      }`,
    ],
    scaling_config: [{ desired_size: 1 + (k % 8), max_size: 16, min_size: 0 }],
    labels: {
      'nvidia.com/gpu': 'true',
      pool,
      'ml-infra.io/tier': k % 2 ? 'training' : 'serving',
    },
    tags: {
      'cost-center': `ml-${k % 90}`,
      'data-classification': 'internal',
      'managed-by': 'terraform',
      owner: `ml-team-${k % 20}`,
    },
    tags_all: {
      'cost-center': `ml-${k % 90}`,
      'data-classification': 'internal',
      'managed-by': 'terraform',
      owner: `ml-team-${k % 20}`,
      environment: 'prod',
    },
    subnet_ids: Array.from(
      { length: 3 },
      (_, s) => `subnet-0${(k * 7 + s).toString(16).padStart(16, '0')}`,
    ),
    timeouts: null,
    update_config: [{ max_unavailable: 1, max_unavailable_percentage: null }],
    version: '1.29',
  };
}

/** A large `terraform show -json` drift plan, one line. */
export async function writePlanJson(
  file: string,
  drift: number,
  changes: number,
  seed = 3,
): Promise<{ bytes: number; drift: number; changes: number }> {
  const random = rng(seed);
  const entry = (k: number, kind: 'drift' | 'change') => {
    const type = RESOURCE_TYPES[k % RESOURCE_TYPES.length];
    const name = `r${k}`;
    const before = resourceAttributes(random, type, name, k);
    const noop = kind === 'change' && k % 2 === 0;
    const after = noop
      ? before
      : {
          ...before,
          scaling_config: [
            { desired_size: 2 + (k % 7), max_size: 16, min_size: 0 },
          ],
          tags: { ...before.tags, owner: 'someone-in-console' },
        };
    const actions = noop
      ? ['no-op']
      : k % 97 === 0
      ? ['delete', 'create']
      : ['update'];
    return {
      address: `module.ml_${k % 40}.${type}.${name}["${
        GPU_POOLS[k % GPU_POOLS.length]
      }"]`,
      module_address: `module.ml_${k % 40}`,
      mode: 'managed',
      type,
      name,
      index: GPU_POOLS[k % GPU_POOLS.length],
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions,
        before,
        after,
        after_unknown: noop ? {} : { arn: false, status: true },
        before_sensitive: {},
        after_sensitive: {},
      },
      ...(kind === 'change' && actions[0] === 'delete'
        ? { action_reason: 'replace_because_cannot_update' }
        : {}),
    };
  };
  const resource_drift = Array.from({ length: drift }, (_, k) =>
    entry(k, 'drift'),
  );
  const resource_changes = Array.from({ length: changes }, (_, k) =>
    entry(k + drift, 'change'),
  );
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    variables: {
      environment: { value: 'prod' },
      region: { value: 'us-east-1' },
    },
    planned_values: {
      root_module: {
        resources: resource_changes.map(r => ({
          address: r.address,
          mode: 'managed',
          type: r.type,
          name: r.name,
          provider_name: r.provider_name,
          schema_version: 0,
          values: r.change.after,
          sensitive_values: {},
        })),
      },
    },
    resource_drift,
    resource_changes,
    prior_state: {
      format_version: '1.0',
      terraform_version: '1.9.8',
      values: {
        root_module: {
          resources: resource_drift.map(r => ({
            address: r.address,
            mode: 'managed',
            type: r.type,
            name: r.name,
            values: r.change.after,
          })),
        },
      },
    },
    configuration: {
      provider_config: {
        aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' },
      },
    },
    timestamp: '2026-03-02T10:00:00Z',
    errored: false,
  };
  const text = JSON.stringify(plan);
  await fs.promises.writeFile(file, text);
  return { bytes: Buffer.byteLength(text), drift, changes };
}

/** Small uploads for the sustained-load test, built once in memory. */
export async function smallPayloads(dir: string) {
  const go = `${dir}/small-go-test.jsonl`;
  const junit = `${dir}/small-junit.xml`;
  const plan = `${dir}/small-plan.json`;
  await writeGoTestJson(go, 20_000, 11, {
    logLines: [2, 6],
    testsPerPackage: 8,
  });
  await writeJunitXml(junit, 10_000, 12, 12);
  await writePlanJson(plan, 3, 4, 13);
  const conftest = JSON.stringify([
    {
      filename: 'plan.json',
      namespace: 'ml_infra.gpu',
      successes: 27,
      failures: [
        {
          msg: 'aws_eks_node_group.gpu: instance type p5.48xlarge is not allowed in dev',
          metadata: {
            id: 'MLI-POL-003',
            severity: 'high',
            control: 'CIS-4',
            resource: 'aws_eks_node_group.gpu',
          },
        },
      ],
      warnings: [
        {
          msg: 'aws_s3_bucket.logs: lifecycle rule missing',
          metadata: { id: 'MLI-POL-007', severity: 'low' },
        },
      ],
      exceptions: [],
    },
  ]);
  return {
    goTestJson: await fs.promises.readFile(go),
    junit: await fs.promises.readFile(junit),
    plan: await fs.promises.readFile(plan),
    conftest: Buffer.from(conftest),
  };
}

/**
 * A JUnit report of `count` short test cases (a large table-driven suite): the default
 * per-report limit is about cases, not bytes, so each case is as small as real ones get.
 */
export async function writeManyCasesJunit(
  file: string,
  count: number,
  casesPerSuite = 1000,
): Promise<GeneratedTests> {
  const out = new ChunkWriter(file);
  let failed = 0;
  await out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n`);
  for (let start = 0; start < count; start += casesPerSuite) {
    const n = Math.min(casesPerSuite, count - start);
    const suite = `github.com/acme/terraform-aws-ml-module/test/table${
      start / casesPerSuite
    }`;
    let body = '';
    let f = 0;
    for (let i = 0; i < n; i++) {
      const name = `TestGuardrails/case_${start + i}`;
      if ((start + i) % 997 === 0) {
        f += 1;
        body += `<testcase classname="${suite}" name="${name}" time="0.002"><failure message="region not allowed">eu-north-9</failure></testcase>\n`;
      } else {
        body += `<testcase classname="${suite}" name="${name}" time="0.001"/>\n`;
      }
    }
    failed += f;
    await out.write(
      `<testsuite name="${suite}" tests="${n}" failures="${f}">\n${body}</testsuite>\n`,
    );
  }
  await out.write(`</testsuites>\n`);
  await out.close();
  return { bytes: out.bytes, tests: count, failed };
}
