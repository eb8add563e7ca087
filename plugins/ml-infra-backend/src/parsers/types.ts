import type {
  DriftResource,
  PolicyOutcome,
  Severity,
  TestTotals,
} from '@ml-infra-portal/plugin-ml-infra-common';

/**
 * Limits every parser enforces. Exceeding one is the uploader's fault: the parser throws an
 * `InputError` (or `PayloadTooLargeError`) naming the limit, and nothing is stored.
 */
export interface ParseLimits {
  /** Longest accepted line of a line-oriented format, in bytes. */
  maxLineBytes: number;
  /** Most test cases accepted in one report. */
  maxTestCases: number;
  /** Output kept per failed test: head and tail, each half of this, in bytes. */
  outputCapBytes: number;
  /** Deepest XML element nesting accepted. */
  maxXmlDepth: number;
  /** Most attributes accepted on one XML element. */
  maxXmlAttributes: number;
  /** Most policy results / plan resources accepted in one report. */
  maxResults: number;
  /**
   * Largest JSON document parsed whole (conftest, `opa eval`, SARIF), in bytes. Plans and
   * line-oriented formats are streamed and bounded by the other limits instead.
   */
  maxDocumentBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxLineBytes: 8 * 1024 * 1024,
  // GitLab's cap per report. Streamed parses keep a few dozen bytes per case, not the case.
  maxTestCases: 500_000,
  outputCapBytes: 16 * 1024,
  maxXmlDepth: 64,
  maxXmlAttributes: 256,
  maxResults: 200_000,
  maxDocumentBytes: 64 * 1024 * 1024,
};

/** The body of an upload: a Node.js Readable or any async iterable of chunks. */
export type ParserInput = AsyncIterable<Buffer | string>;

/** Named in every "not a test report" error, so the sender learns what to send instead. */
export const ACCEPTED_TEST_FORMATS =
  'accepted: go test -json (format=go-test-json), plain go test -v output (format=go-test) and JUnit XML (format=junit); TAP and other formats are not supported';

export interface ParsedTestCase {
  /** Full test name, e.g. `TestPlan/gpu_pool` for a subtest. */
  name: string;
  /** Go package, or JUnit suite (classname when present). */
  suite: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  /** Output of a failed test, capped: head + marker + tail. Absent for passed tests. */
  output?: string;
  outputTruncated?: boolean;
  /** How many times the test ran in this report (reruns in one stream). */
  attempts: number;
  /** Failed at least once and passed on a later attempt in this report. */
  flaky: boolean;
  /** JUnit testcase-level `<properties>` (e.g. Go 1.25 `t.Attr`), when present. */
  properties?: Record<string, string>;
}

export interface ParsedTestReport {
  format: 'go-test-json' | 'go-test' | 'junit';
  totals: TestTotals;
  durationMs?: number;
  cases: ParsedTestCase[];
  /**
   * Failures that belong to no test: a package that did not build, a panic or timeout outside a test,
   * a JUnit suite-level error. They make the report fail.
   */
  packageFailures: Array<{ suite: string; output?: string }>;
  /** Lines that were not JSON (go test -json mixes in build output); counted, not stored. */
  ignoredLines: number;
}

/**
 * Receives each test case when a streaming parse has finished it, with its position in the
 * report (first-seen order). A case handed over again with the same index replaces the earlier
 * one (a rerun of the test later in the stream).
 */
export type TestCaseSink = (testCase: ParsedTestCase, index: number) => void;

/** A streamed parse's report: everything but the cases, which went to the sink. */
export interface StreamedTestReport extends Omit<ParsedTestReport, 'cases'> {
  /** Cases that passed after failing earlier in the report. */
  flaky: number;
  /**
   * Cases handed to the sink that a later one with the same index (same suite and name)
   * replaces; when 0, every case handed over is final.
   */
  superseded: number;
}

export interface ParsedPolicyResult {
  /** Stable rule identifier: metadata id/rule/query when present, else the namespace (+ message). */
  rule: string;
  control?: string;
  severity: Severity;
  outcome: Exclude<PolicyOutcome, 'waived'>;
  message?: string;
  resource?: string;
  filename?: string;
  /** 1-based line in `filename`, when the tool reports one (conftest `loc`, SARIF region). */
  line?: number;
  /** http(s) link to how to fix the rule, from the rule's metadata (SARIF `helpUri`). */
  remediationUrl?: string;
  /** How many checks this result stands for (conftest reports successes as a count). */
  count: number;
}

export interface ParsedPolicyReport {
  format: 'conftest' | 'opa-eval' | 'sarif';
  results: ParsedPolicyResult[];
  /** conftest results whose `successes` count was negative, stored as 0. */
  negativeSuccessCounts?: number;
}

export interface ParsedPlan {
  formatVersion?: string;
  terraformVersion?: string;
  /** Resources changed outside Terraform (`resource_drift`). */
  drift: DriftResource[];
  /** Pending changes (`resource_changes`), no-ops left out. */
  changes: DriftResource[];
}
