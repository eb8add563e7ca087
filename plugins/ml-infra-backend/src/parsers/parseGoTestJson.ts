/**
 * Parser for `go test -json` (test2json) streams as Terratest CI prints them.
 *
 * Handles subtests, parallel interleaving (pause/cont), skips, panics and timeouts (a test left
 * running when its package or the stream ends counts as failed, with a note), build failures
 * (package `fail` without a failed test, `build-fail` events, `FAIL pkg [build failed]` lines),
 * reruns within one stream (the last attempt decides; fail-then-pass is flaky), events without
 * `Time`/`Package`, and non-JSON lines (counted in `ignoredLines`).
 *
 * Memory is bounded: only tests still running or failed keep output, capped at
 * `limits.outputCapBytes`; a passing or skipped test's output is dropped when it finishes.
 */
import { InputError } from '@backstage/errors';
import { CappedOutput } from './CappedOutput';
import { readLines } from './readLines';
import {
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
  ParsedTestCase,
  ParsedTestReport,
  ParserInput,
} from './types';

interface TestEvent {
  Action: string;
  Time?: string;
  Package?: string;
  ImportPath?: string;
  Test?: string;
  Elapsed?: number;
  Output?: string;
  OutputType?: string;
  FailedBuild?: string;
}

interface TestState {
  name: string;
  suite: string;
  status: 'running' | 'passed' | 'failed' | 'skipped';
  attempts: number;
  everFailed: boolean;
  durationMs?: number;
  output?: CappedOutput;
  note?: string;
}

interface PackageState {
  output: CappedOutput;
  failedTests: boolean;
}

const BUILD_FAILED_LINE = /^FAIL\s+(\S+)\s+\[(build failed|setup failed)\]/;
const NOTE_PACKAGE_ENDED =
  'No pass/fail was reported for this test before its package finished (a panic, a timeout or os.Exit in the test).';
const NOTE_STREAM_ENDED =
  'No pass/fail was reported for this test before the stream ended (the run was cut off or is still running).';

function isTestEvent(value: unknown): value is TestEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const event = value as Record<string, unknown>;
  return (
    typeof event.Action === 'string' &&
    (event.Test === undefined || typeof event.Test === 'string') &&
    (event.Package === undefined || typeof event.Package === 'string') &&
    (event.Output === undefined || typeof event.Output === 'string') &&
    (event.Elapsed === undefined || typeof event.Elapsed === 'number')
  );
}

export async function parseGoTestJson(
  input: ParserInput,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedTestReport> {
  const tests = new Map<string, TestState>();
  const packages = new Map<string, PackageState>();
  // Tests without a result yet; a package or stream ending leaves them failed.
  const running = new Set<TestState>();
  const packageFailures = new Map<string, { suite: string; output?: string }>();
  const buildOutput = new Map<string, CappedOutput>();
  let ignoredLines = 0;
  let events = 0;
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  let elapsedSumMs = 0;

  const packageState = (pkg: string): PackageState => {
    let state = packages.get(pkg);
    if (!state) {
      state = {
        output: new CappedOutput(limits.outputCapBytes),
        failedTests: false,
      };
      packages.set(pkg, state);
    }
    return state;
  };

  const finishRunning = (pkg: string | undefined, note: string) => {
    for (const test of running) {
      if (pkg === undefined || test.suite === pkg) {
        running.delete(test);
        test.status = 'failed';
        test.everFailed = true;
        test.note = note;
        packageState(test.suite).failedTests = true;
      }
    }
  };

  const handle = (event: TestEvent) => {
    const pkg = event.Package ?? '';
    if (event.Time) {
      const t = Date.parse(event.Time);
      if (!Number.isNaN(t)) {
        firstTime = firstTime === undefined ? t : Math.min(firstTime, t);
        lastTime = lastTime === undefined ? t : Math.max(lastTime, t);
      }
    }

    // Go 1.24+: compiler output and build failures before the package's test binary runs.
    if (event.Action === 'build-output' || event.Action === 'build-fail') {
      const key = event.ImportPath ?? pkg;
      let out = buildOutput.get(key);
      if (!out) {
        out = new CappedOutput(limits.outputCapBytes);
        buildOutput.set(key, out);
      }
      if (event.Output) {
        out.append(event.Output);
      }
      return;
    }

    if (event.Test === undefined) {
      const state = packageState(pkg);
      switch (event.Action) {
        case 'start':
          state.failedTests = false;
          state.output = new CappedOutput(limits.outputCapBytes);
          break;
        case 'output':
          if (event.Output) {
            state.output.append(event.Output);
          }
          break;
        case 'pass':
        case 'skip':
          finishRunning(pkg, NOTE_PACKAGE_ENDED);
          state.output = new CappedOutput(limits.outputCapBytes);
          if (event.Elapsed !== undefined) {
            elapsedSumMs += event.Elapsed * 1000;
          }
          // A later successful rerun of the package supersedes an earlier package failure.
          packageFailures.delete(pkg);
          break;
        case 'fail': {
          finishRunning(pkg, NOTE_PACKAGE_ENDED);
          if (event.Elapsed !== undefined) {
            elapsedSumMs += event.Elapsed * 1000;
          }
          if (!state.failedTests || event.FailedBuild) {
            const build = event.FailedBuild
              ? buildOutput.get(event.FailedBuild)
              : undefined;
            const output = [build, state.output]
              .filter((o): o is CappedOutput => !!o && !o.isEmpty)
              .map(o => o.toString())
              .join('');
            packageFailures.set(pkg, {
              suite: pkg,
              ...(output ? { output } : {}),
            });
          }
          break;
        }
        default:
          break;
      }
      return;
    }

    const key = `${pkg}\u0000${event.Test}`;
    let test = tests.get(key);
    if (!test) {
      if (tests.size >= limits.maxTestCases) {
        throw new InputError(
          `The report has more than ${limits.maxTestCases} tests (maxTestCases)`,
        );
      }
      test = {
        name: event.Test,
        suite: pkg,
        status: 'running',
        attempts: 1,
        everFailed: false,
        output: new CappedOutput(limits.outputCapBytes),
      };
      tests.set(key, test);
      running.add(test);
      packageState(pkg);
    } else if (test.status !== 'running' && event.Action === 'run') {
      // The same test again in one stream: a rerun (e.g. gotestsum --rerun-fails).
      test.attempts += 1;
      test.status = 'running';
      test.note = undefined;
      test.durationMs = undefined;
      test.output = new CappedOutput(limits.outputCapBytes);
      running.add(test);
    }

    switch (event.Action) {
      case 'output':
        if (event.Output && test.status !== 'passed' && test.status !== 'skipped') {
          test.output ??= new CappedOutput(limits.outputCapBytes);
          test.output.append(event.Output);
        }
        break;
      case 'pass':
      case 'bench':
      case 'skip':
        running.delete(test);
        test.status = event.Action === 'skip' ? 'skipped' : 'passed';
        test.output = undefined;
        if (event.Elapsed !== undefined) {
          test.durationMs = Math.round(event.Elapsed * 1000);
        }
        break;
      case 'fail':
        running.delete(test);
        test.status = 'failed';
        test.everFailed = true;
        packageState(pkg).failedTests = true;
        if (event.Elapsed !== undefined) {
          test.durationMs = Math.round(event.Elapsed * 1000);
        }
        break;
      default:
        // run, pause, cont and unknown future actions carry no result.
        break;
    }
  };

  for await (const { line, lineNumber } of readLines(input, limits.maxLineBytes)) {
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('{')) {
      const buildFailed = BUILD_FAILED_LINE.exec(trimmed);
      if (buildFailed && !packageFailures.has(buildFailed[1])) {
        packageFailures.set(buildFailed[1], {
          suite: buildFailed[1],
          output: trimmed,
        });
      }
      if (trimmed.length > 0) {
        ignoredLines += 1;
      }
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      throw new InputError(
        `Line ${lineNumber} starts with "{" but is not valid JSON: ${(e as Error).message}`,
      );
    }
    if (!isTestEvent(value)) {
      throw new InputError(
        `Line ${lineNumber} is JSON but not a go test -json event (expected an object with a string "Action")`,
      );
    }
    events += 1;
    handle(value);
  }

  if (events === 0) {
    throw new InputError(
      'No go test -json events found: expected the output of `go test -json` (one JSON event per line)',
    );
  }
  finishRunning(undefined, NOTE_STREAM_ENDED);

  const cases: ParsedTestCase[] = [];
  const totals = { total: 0, passed: 0, failed: 0, skipped: 0 };
  for (const test of tests.values()) {
    const status = test.status === 'running' ? 'failed' : test.status;
    totals.total += 1;
    totals[status] += 1;
    const parsed: ParsedTestCase = {
      name: test.name,
      suite: test.suite,
      status,
      attempts: test.attempts,
      flaky: status === 'passed' && test.everFailed,
    };
    if (test.durationMs !== undefined) {
      parsed.durationMs = test.durationMs;
    }
    if (status === 'failed') {
      const output = test.output && !test.output.isEmpty ? test.output.toString() : '';
      const text = test.note ? `${output}${output && !output.endsWith('\n') ? '\n' : ''}${test.note}\n` : output;
      if (text) {
        parsed.output = text;
      }
      if (test.output?.truncated) {
        parsed.outputTruncated = true;
      }
    }
    cases.push(parsed);
  }

  // Wall clock when events carry Time, else the packages' own elapsed times.
  let durationMs: number | undefined;
  if (firstTime !== undefined && lastTime !== undefined && lastTime > firstTime) {
    durationMs = lastTime - firstTime;
  } else if (elapsedSumMs > 0) {
    durationMs = Math.round(elapsedSumMs);
  }

  return {
    format: 'go-test-json',
    totals,
    ...(durationMs !== undefined ? { durationMs } : {}),
    cases,
    packageFailures: [...packageFailures.values()],
    ignoredLines,
  };
}
