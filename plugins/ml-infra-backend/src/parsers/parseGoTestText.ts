/**
 * Parser for plain `go test -v` output: what teams that never switched to `-json` print, and
 * what terratest_log_parser and go-junit-report read.
 *
 * `=== RUN|PAUSE|CONT name` says which test the following lines belong to; `--- PASS|FAIL|SKIP:
 * name (1.23s)` (indented for subtests) ends a test, and the lines indented under it are its
 * messages (older Go prints logs there); `ok  pkg 0.1s` / `FAIL pkg 0.1s` closes a package, whose
 * name becomes the suite of its tests. A test that started but never reported (a panic, a
 * timeout) failed. Streamed line by line: per package only the cases of that package are held,
 * each with its output capped, and they are handed over when the package line arrives.
 */
import { InputError } from '@backstage/errors';
import { CappedOutput } from './CappedOutput';
import { inMemory, TestCaseTally, TestReportStream } from './collectTestReport';
import { LineSplitter } from './readLines';
import {
  ACCEPTED_TEST_FORMATS,
  ParsedTestCase,
  StreamedTestReport,
} from './types';

const STATUS_LINE = /^=== (RUN|PAUSE|CONT|NAME)\s+(\S.*?)\s*$/;
const RESULT_LINE =
  /^(\s*)--- (PASS|FAIL|SKIP): (\S.*?)(?: \((\d+(?:\.\d+)?)s\))?\s*$/;
const PACKAGE_LINE =
  /^(ok|FAIL)\s+(\S+)\s+(?:(\d+(?:\.\d+)?)s|\(cached\)|\[[^\]]*\])/;
const SUMMARY_LINE = /^(PASS|FAIL|exit status \d+|testing: warning: .*)$/;
const PANIC_LINE = /^panic: /;

interface Running {
  name: string;
  status?: ParsedTestCase['status'];
  durationMs?: number;
  output: CappedOutput;
}

const STATUS: Record<string, ParsedTestCase['status']> = {
  PASS: 'passed',
  FAIL: 'failed',
  SKIP: 'skipped',
};

export const streamGoTestText: TestReportStream = async (
  input,
  limits,
  onCase,
) => {
  const tally = new TestCaseTally(onCase);
  const packageFailures: StreamedTestReport['packageFailures'] = [];
  let ignoredLines = 0;
  let index = 0;
  let durationMs: number | undefined;

  // The tests of the package being printed, in first-seen order.
  let tests = new Map<string, Running>();
  let current: Running | undefined;
  // Indentation of the last result line: deeper lines right after it are that test's messages.
  let resultIndent: number | undefined;
  let packageOutput = new CappedOutput(limits.outputCapBytes);
  let panicked = false;

  const test = (name: string) => {
    let running = tests.get(name);
    if (!running) {
      if (index + tests.size >= limits.maxTestCases) {
        throw new InputError(
          `More than ${limits.maxTestCases} test cases in one report`,
        );
      }
      running = { name, output: new CappedOutput(limits.outputCapBytes) };
      tests.set(name, running);
    }
    return running;
  };

  const closePackage = (suite: string, failed: boolean) => {
    for (const running of tests.values()) {
      // Started but never reported: the binary died (panic, timeout) while it ran.
      const status = running.status ?? 'failed';
      if (!running.status) {
        running.output.append(
          '(no result: the test binary exited before this test finished)\n',
        );
      }
      const output = status === 'failed' ? running.output : undefined;
      tally.add(
        {
          name: running.name,
          suite,
          status,
          durationMs: running.durationMs,
          ...(output && !output.isEmpty
            ? { output: output.toString(), outputTruncated: output.truncated }
            : {}),
          attempts: 1,
          flaky: false,
        },
        index,
      );
      index += 1;
    }
    const anyTestFailed = [...tests.values()].some(
      t => t.status !== 'passed' && t.status !== 'skipped',
    );
    if ((failed && !anyTestFailed) || (panicked && tests.size === 0)) {
      packageFailures.push({ suite, output: packageOutput.toString() });
    }
    tests = new Map();
    current = undefined;
    resultIndent = undefined;
    packageOutput = new CappedOutput(limits.outputCapBytes);
    panicked = false;
  };

  const onLine = (line: string) => {
    const status = STATUS_LINE.exec(line);
    if (status) {
      current = test(status[2]);
      resultIndent = undefined;
      return;
    }
    const result = RESULT_LINE.exec(line);
    if (result) {
      const running = test(result[3]);
      running.status = STATUS[result[2]];
      if (result[4] !== undefined) {
        running.durationMs = Math.round(Number(result[4]) * 1000);
      }
      current = running;
      resultIndent = result[1].length;
      return;
    }
    const pkg = PACKAGE_LINE.exec(line);
    if (pkg) {
      if (pkg[3] !== undefined) {
        durationMs = (durationMs ?? 0) + Math.round(Number(pkg[3]) * 1000);
      }
      closePackage(pkg[2], pkg[1] === 'FAIL');
      return;
    }
    if (SUMMARY_LINE.test(line)) {
      ignoredLines += 1;
      return;
    }
    const indent = line.length - line.trimStart().length;
    if (resultIndent !== undefined && indent <= resultIndent && line.trim()) {
      // Not a message of the last result: it belongs to the top-level test that printed the
      // results (a panic after `--- FAIL: TestX` and its subtests' lines is TestX's).
      resultIndent = undefined;
      if (current) {
        current = tests.get(current.name.split('/')[0]) ?? current;
      }
    }
    if (PANIC_LINE.test(line)) {
      panicked = true;
      if (current) {
        current.status = 'failed';
      }
    }
    if (current) {
      current.output.append(`${line}\n`);
    } else {
      packageOutput.append(`${line}\n`);
    }
  };

  const splitter = new LineSplitter(limits.maxLineBytes, onLine);
  for await (const chunk of input) {
    splitter.push(chunk);
  }
  splitter.end();
  if (tests.size > 0 || panicked) {
    // No package line (a log cut short, or a single package run without one).
    closePackage('', panicked);
  }
  if (tally.totals.total === 0 && packageFailures.length === 0) {
    throw new InputError(
      `No tests found in the plain go test output: expected "=== RUN" and "--- PASS/FAIL/SKIP:" lines; ${ACCEPTED_TEST_FORMATS}`,
    );
  }
  return {
    format: 'go-test',
    totals: tally.totals,
    durationMs,
    packageFailures,
    ignoredLines,
    flaky: 0,
    superseded: 0,
  };
};

/** The whole report in memory; see {@link streamGoTestText} for reports of any size. */
export const parseGoTestText = inMemory(streamGoTestText);
