import {
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
  ParsedTestCase,
  ParsedTestReport,
  ParserInput,
  StreamedTestReport,
  TestCaseSink,
} from './types';

/** A streaming test-report parser: hands each case to `onCase` once it is final. */
export type TestReportStream = (
  input: ParserInput,
  limits: ParseLimits,
  onCase: TestCaseSink,
) => Promise<StreamedTestReport>;

/**
 * The whole report of a streaming test parse, cases in report order, later attempts replacing
 * earlier ones: for callers that want the cases in memory (tests, small reports).
 */
export async function collectTestReport(
  stream: (sink: TestCaseSink) => Promise<StreamedTestReport>,
): Promise<ParsedTestReport> {
  const cases: ParsedTestCase[] = [];
  const {
    flaky: _flaky,
    superseded: _superseded,
    ...report
  } = await stream((parsed, index) => {
    cases[index] = parsed;
  });
  return { ...report, cases };
}

/** The in-memory form of a streaming parser; see {@link collectTestReport}. */
export function inMemory(stream: TestReportStream) {
  return (
    input: ParserInput,
    limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  ): Promise<ParsedTestReport> =>
    collectTestReport(sink => stream(input, limits, sink));
}

/** A test case's identity and result; `durationMs` is set only when known. */
export function testCase(
  fields: Omit<ParsedTestCase, 'durationMs'>,
  durationMs: number | undefined,
): ParsedTestCase {
  const parsed: ParsedTestCase = { ...fields };
  if (durationMs !== undefined) {
    parsed.durationMs = durationMs;
  }
  return parsed;
}

/** Counts the cases handed to a sink: the report's totals by status and its flaky passes. */
export class TestCaseTally {
  readonly totals = { total: 0, passed: 0, failed: 0, skipped: 0 };
  flaky = 0;

  constructor(private readonly onCase: TestCaseSink) {}

  /** Counts the case and hands it to the sink. */
  add(parsed: ParsedTestCase, index: number) {
    this.totals.total += 1;
    this.totals[parsed.status] += 1;
    if (parsed.flaky) {
      this.flaky += 1;
    }
    this.onCase(parsed, index);
  }

  /** Takes back the counts of a case handed over earlier that a later one replaces. */
  retract(status: ParsedTestCase['status'], flaky: boolean) {
    this.totals.total -= 1;
    this.totals[status] -= 1;
    if (flaky) {
      this.flaky -= 1;
    }
  }
}
