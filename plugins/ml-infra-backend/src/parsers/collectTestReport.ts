import type {
  ParsedTestCase,
  ParsedTestReport,
  StreamedTestReport,
  TestCaseSink,
} from './types';

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
  } = await stream((testCase, index) => {
    cases[index] = testCase;
  });
  return { ...report, cases };
}
