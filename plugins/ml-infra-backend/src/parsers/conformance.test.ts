/*
 * Conformance against real tool outputs kept outside the repository in `../shared/fixtures`
 * (relative to the repo root; see its README for sources). Outside CI a checkout without that
 * folder skips the suite; under CI=true a missing folder fails it, so conformance is never
 * silently not checked.
 */
import { InputError } from '@backstage/errors';
import fs from 'fs';
import path from 'path';
import { fixturesDir } from '../__testUtils__/fixtures';
import { parseConftestJson } from './parseConftestJson';
import { parseGoTestJson } from './parseGoTestJson';
import { parseGoTestText } from './parseGoTestText';
import { parseJunitXml } from './parseJunitXml';
import { parseOpaEvalJson } from './parseOpaEvalJson';
import { parsePlanJson } from './parsePlanJson';
import { ParsedPlan, ParsedPolicyReport, ParsedTestReport } from './types';

const open = (folder: string, file: string) =>
  fs.createReadStream(path.join(fixturesDir, folder, file));

const failedNames = (r: ParsedTestReport) =>
  r.cases.filter(c => c.status === 'failed').map(c => c.name);
const outputs = (r: ParsedTestReport) =>
  r.cases.map(c => c.output ?? '').join('\n');
const includes = (text: string | undefined, needle: string) =>
  !!text?.includes(needle);

/** [file, facts drawn from the parse, expected facts]: compared with toEqual in the test. */
type Case<R> = [string, (r: R) => unknown, unknown];

const goTests: Array<Case<ParsedTestReport>> = [
  // Each test name once per package (subtests included), as go counts them.
  [
    'gotestsum-multi-package-mixed.jsonl',
    r => [
      r.totals,
      r.packageFailures.map(f => f.suite),
      includes(r.packageFailures[0]?.output, 'sometimes main can exit 2'),
    ],
    [
      { total: 59, passed: 42, failed: 12, skipped: 5 },
      ['gotest.tools/gotestsum/testjson/internal/badmain'],
      true,
    ],
  ],
  [
    'gotestsum-parallel-fails.jsonl',
    r => r.totals,
    { total: 12, passed: 4, failed: 8, skipped: 0 },
  ],
  [
    'gotestsum-flaky-rerun.jsonl',
    r => [
      r.totals,
      r.cases.filter(c => c.flaky).map(c => [c.name, c.attempts]),
    ],
    [
      { total: 6, passed: 6, failed: 0, skipped: 0 },
      [
        ['TestFailsRarely', 2],
        ['TestFailsSometimes', 3],
        ['TestFailsOften', 4],
      ],
    ],
  ],
  // 2 skipped test names, each in 2 packages.
  [
    'gotestsum-with-cover.jsonl',
    r => [r.totals, r.packageFailures.length],
    [{ total: 46, passed: 38, failed: 4, skipped: 4 }, 1],
  ],
  [
    'go-junit-report-subtests.jsonl',
    r => r.totals,
    { total: 4, passed: 2, failed: 2, skipped: 0 },
  ],
  [
    'go-junit-report-parallel.jsonl',
    r => [r.totals, r.cases.every(c => c.output)],
    [{ total: 3, passed: 0, failed: 3, skipped: 0 }, true],
  ],
  [
    'tparse-multi-package-7-failures-skips.jsonl',
    r => r.totals,
    { total: 96, passed: 89, failed: 7, skipped: 0 },
  ],
  [
    'tparse-race-detector-7-failures.jsonl',
    r => [r.totals, includes(outputs(r), 'DATA RACE')],
    [{ total: 94, passed: 87, failed: 7, skipped: 0 }, true],
  ],
  [
    'tparse-go120-start-action-11-packages.jsonl',
    r => [r.totals, r.packageFailures],
    [{ total: 40, passed: 40, failed: 0, skipped: 0 }, []],
  ],
  [
    'golang-test2json-timeout.jsonl',
    r => [
      failedNames(r),
      r.cases[0].suite,
      includes(r.cases[0].output, 'panic: test timed out after 1s'),
    ],
    [['Test'], '', true],
  ],
  [
    'golang-test2json-framefail-outputtype.jsonl',
    r => [
      failedNames(r),
      includes(r.cases[0].output, 'before the stream ended'),
    ],
    [['TestAscii'], true],
  ],
];

const junit: Array<Case<ParsedTestReport>> = [
  [
    'gotestsum-junitfile-testcase-properties.xml',
    r => [r.totals, r.cases[0].properties],
    [
      { total: 1, passed: 1, failed: 0, skipped: 0 },
      { hello: 'world', other: 'side' },
    ],
  ],
  [
    'go-junit-report-race.xml',
    r => [failedNames(r), includes(outputs(r), 'WARNING: DATA RACE')],
    [['TestRace'], true],
  ],
  [
    'go-junit-report-testmain-error.xml',
    r => [r.totals, includes(outputs(r), 'Runtime error')],
    [{ total: 3, passed: 2, failed: 1, skipped: 0 }, true],
  ],
  [
    'surefire-testsuite-root-errors-failures-unicode.xml',
    r => [r.totals, includes(outputs(r), 'ñandú')],
    [{ total: 9, passed: 2, failed: 7, skipped: 0 }, true],
  ],
  [
    'nextest-system-out-err.xml',
    r => [r.totals, includes(outputs(r), 'panicked at')],
    [{ total: 3, passed: 2, failed: 1, skipped: 0 }, true],
  ],
  [
    'catch2-properties-system-out-err.xml',
    r => r.totals,
    { total: 1, passed: 0, failed: 1, skipped: 0 },
  ],
  [
    'scalatest-testsuite-root-52-properties.xml',
    r => r.totals,
    { total: 5, passed: 5, failed: 0, skipped: 0 },
  ],
  [
    'tst-disabled-19-failures-1-error.xml',
    r => r.totals,
    { total: 31, passed: 6, failed: 20, skipped: 5 },
  ],
];
/** Raw `go test -v` logs: the inputs of go-junit-report / terratest_log_parser, not JUnit. */
const goTestText: Array<Case<ParsedTestReport>> = [
  [
    'go-junit-report-subtests.input.txt',
    r => [
      r.totals,
      failedNames(r),
      r.cases.find(c => c.name === 'TestSubtests/Subtest#01')?.output,
    ],
    [
      { total: 11, passed: 6, failed: 4, skipped: 1 },
      [
        'TestSubtests',
        'TestSubtests/Subtest#01',
        'TestFailingSubtestWithNestedSubtest',
        'TestFailingSubtestWithNestedSubtest/Subtest',
      ],
      '    subtests_test.go:10: error message\n',
    ],
  ],
  [
    'terratest-log-parser-failing.input.log',
    r => [
      r.totals,
      failedNames(r),
      r.cases.every(
        c =>
          c.suite === 'github.com/gruntwork-io/terratest/modules/logger/parser',
      ),
      includes(
        r.cases.find(c => c.name === 'TestBasicExample')?.output,
        'Expected value not to be nil.',
      ),
    ],
    [
      { total: 55, passed: 52, failed: 3, skipped: 0 },
      ['TestBasicExample', 'TestPanicExample', 'TestRealWorldExample'],
      true,
      true,
    ],
  ],
  // The binary panics: the panicking test carries the stack, tests it cut short failed.
  [
    'terratest-log-parser-panic.input.log',
    r => [
      r.totals,
      includes(
        r.cases.find(c => c.name === 'TestIsPanicLine')?.output,
        'panic: error [recovered]',
      ),
      r.cases.filter(c => includes(c.output, 'no result')).length,
    ],
    [{ total: 52, passed: 48, failed: 4, skipped: 0 }, true, 3],
  ],
];
const notJunit = goTestText.map(([file]) => file);

type PolicyCase = [
  string,
  (input: fs.ReadStream) => Promise<ParsedPolicyReport>,
  (r: ParsedPolicyReport) => unknown,
  unknown,
];
const policy: PolicyCase[] = [
  [
    'conftest-docs-output-json-warning.json',
    parseConftestJson,
    r => r.results.map(x => [x.rule, x.outcome, x.count]),
    [
      ['main', 'passed', 4],
      ['data.main.warn', 'warned', 1],
    ],
  ],
  [
    'conftest-docs-index-json-failure-loc-metadata.json',
    parseConftestJson,
    r => r.results,
    [
      {
        rule: 'data.main.deny',
        severity: 'high',
        outcome: 'failed',
        message: 'Violation for some reason.',
        filename: 'foo.txt',
        line: 99999,
        count: 1,
      },
    ],
  ],
  [
    'opa-eval-json-regula-report.json',
    parseOpaEvalJson,
    r => r.results.map(x => [x.rule, x.outcome, x.resource, x.control]),
    [
      [
        'tf_aws_iam_admin_policy',
        'failed',
        'aws_iam_policy.basically_allow_all',
        'CIS-AWS_v1.2.0_1.22',
      ],
      [
        'tf_aws_iam_admin_policy',
        'passed',
        'aws_iam_policy.basically_deny_all',
        'CIS-AWS_v1.2.0_1.22',
      ],
    ],
  ],
  [
    'opa-eval-json-k8s-violation-set.json',
    parseOpaEvalJson,
    r => r.results,
    [
      {
        rule: 'data.acmecorp.kubernetes.violation',
        severity: 'high',
        outcome: 'failed',
        message: "pvc not whitelisted to use 'retain' reclaim policy",
        count: 1,
      },
    ],
  ],
];

const summary = (resources: ParsedPlan['drift']) =>
  resources.map(r => `${r.address}:${r.action}`);
const plans: Array<Case<ParsedPlan>> = [
  [
    'regula-aws-cloudtrail-drift-4-resources.plan.json',
    p => [summary(p.drift), p.changes, p.terraformVersion],
    [
      [
        'aws_cloudtrail.cloudtrail:update',
        'aws_s3_bucket.cloudtrail:update',
        'aws_s3_bucket.logging:update',
        'aws_s3_bucket_policy.cloudtrail:update',
      ],
      [],
      '1.1.9',
    ],
  ],
  [
    'infracost-aws-instance-drift-plus-update.plan.json',
    p => [
      summary(p.drift),
      summary(p.changes),
      p.changes[0].attributes?.find(a => a.name === 'instance_type'),
    ],
    [
      ['aws_instance.web_app_1:update'],
      ['aws_instance.web_app_1:update'],
      { name: 'instance_type', before: 't3.micro', after: 't3.small' },
    ],
  ],
  [
    'terraform-show-json-moved-drift.plan.json',
    p => p.drift.map(r => [r.address, r.previousAddress, r.attributes]),
    [
      [
        'test_instance.should_refresh_with_move',
        'test_instance.should_refresh',
        [{ name: 'ami', before: 'refresh-me', after: 'refreshed' }],
      ],
    ],
  ],
  [
    'terraform-equivalence-drift-relevant-attributes.plan.json',
    p => [p.terraformVersion, summary(p.drift), summary(p.changes)],
    [
      undefined,
      ['tfcoremock_simple_resource.base:update'],
      [
        'tfcoremock_simple_resource.base:update',
        'tfcoremock_simple_resource.dependent:update',
      ],
    ],
  ],
  [
    'tfc-redacted-plan-drift-delete.json',
    p => [p.formatVersion, summary(p.drift), summary(p.changes)],
    [
      '1.1',
      ['tfcoremock_simple_resource.example:delete'],
      [
        'tfcoremock_complex_resource.example:create',
        'tfcoremock_simple_resource.example:create',
      ],
    ],
  ],
  [
    'terraform-json-action-reason-replace.plan.json',
    p => [summary(p.changes), p.terraformVersion],
    [['null_resource.example:replace'], '1.15.0'],
  ],
  [
    'tfc-plan-stream-full.jsonl',
    p => [p.terraformVersion, summary(p.changes)],
    [
      '1.3.7',
      [
        'tfcoremock_simple_resource.example:update',
        'tfcoremock_complex_resource.example:create',
      ],
    ],
  ],
  [
    'terraform-plan-json-stream-basic.jsonl',
    p => [summary(p.changes), p.drift],
    [['test_instance.foo:create'], []],
  ],
];

const listed: Record<string, string[]> = {
  'go-test-json': goTests.map(([f]) => f),
  'junit-xml': [...junit.map(([f]) => f), ...notJunit],
  'conftest-opa': [
    ...policy.map(([f]) => f),
    'conftest-docs-options-junit-truncated.xml',
  ],
  'terraform-plan-json': plans.map(([f]) => f),
};

const fixturesPresent = fs.existsSync(fixturesDir);
if (!fixturesPresent && process.env.CI === 'true') {
  describe('conformance with real tool outputs', () => {
    it('has its fixtures', () => {
      // Fails with the reason: CI must provide ../shared/fixtures next to the repository.
      expect({ fixturesDir, present: fixturesPresent }).toEqual({
        fixturesDir,
        present: true,
      });
    });
  });
}

(fixturesPresent ? describe : describe.skip)(
  `conformance with real tool outputs (${fixturesDir})`,
  () => {
    it.each(Object.entries(listed))(
      'has an expectation for every file in %s',
      (folder, files) => {
        expect(fs.readdirSync(path.join(fixturesDir, folder)).sort()).toEqual(
          [...files].sort(),
        );
      },
    );

    describe('parseGoTestJson: go-test-json', () => {
      it.each(goTests)('%s', async (file, facts, expected) => {
        expect(
          facts(await parseGoTestJson(open('go-test-json', file))),
        ).toEqual(expected);
      });
    });

    describe('parseJunitXml: junit-xml', () => {
      it.each(junit)('%s', async (file, facts, expected) => {
        expect(facts(await parseJunitXml(open('junit-xml', file)))).toEqual(
          expected,
        );
      });
      it.each(notJunit)('rejects the raw go test log %s', async file => {
        await expect(parseJunitXml(open('junit-xml', file))).rejects.toThrow(
          new InputError(
            'Expected JUnit XML (a document starting with "<"), got text at line 1',
          ),
        );
      });
    });

    describe('parseGoTestText: plain go test -v logs in junit-xml', () => {
      it.each(goTestText)('%s', async (file, facts, expected) => {
        expect(facts(await parseGoTestText(open('junit-xml', file)))).toEqual(
          expected,
        );
      });
    });

    describe('policy parsers: conftest-opa', () => {
      it.each(policy)('%s', async (file, parse, facts, expected) => {
        expect(facts(await parse(open('conftest-opa', file)))).toEqual(
          expected,
        );
      });
      it('rejects the truncated conftest --output junit as malformed XML', async () => {
        const error = await parseJunitXml(
          open('conftest-opa', 'conftest-docs-options-junit-truncated.xml'),
        ).catch(e => e);
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toMatch(
          /^Malformed XML at line 21, column \d+: unclosed tag: testsuite/,
        );
      });
    });

    describe('parsePlanJson: terraform-plan-json', () => {
      it.each(plans)('%s', async (file, facts, expected) => {
        expect(
          facts(await parsePlanJson(open('terraform-plan-json', file))),
        ).toEqual(expected);
      });
    });
  },
);
