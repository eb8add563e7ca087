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
import { LineSplitter } from './readLines';
import {
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
  ParsedTestCase,
  ParsedTestReport,
  ParserInput,
} from './types';

/**
 * The fields of an event the parser reads on every line, copied out of the parsed JSON into an
 * object of one fixed shape: events of different kinds parse to objects of different shapes,
 * and reading each field once keeps the per-event property loads few and monomorphic.
 */
interface TestEvent {
  Action: string;
  Time: unknown;
  Package?: string;
  Test?: string;
  Elapsed?: number;
  Output?: string;
}

/** The parsed line, for fields only some events need (`ImportPath`, `FailedBuild`). */
type RawEvent = Record<string, unknown>;

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

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** `YYYY-MM-DDTHH:MM:SS` with digits where digits belong (hour 24 excluded, see below). */
function isSecondsPrefix(time: string): boolean {
  for (let i = 0; i < 19; i++) {
    const c = time.charCodeAt(i);
    switch (i) {
      case 4:
      case 7:
        if (c !== 0x2d) return false; // -
        break;
      case 10:
        if (c !== 0x54) return false; // T
        break;
      case 13:
      case 16:
        if (c !== 0x3a) return false; // :
        break;
      default:
        if (c < DIGIT_0 || c > DIGIT_9) return false;
    }
  }
  // 24:00:00 is only valid without a fraction: leave hour 24 to Date.parse.
  return !(time.charCodeAt(11) === 0x32 && time.charCodeAt(12) === 0x34);
}

/**
 * `Date.parse` for event times, memoised per second: test2json writes
 * `2026-03-02T10:00:00.000137Z` on every line, and thousands of lines share their second. A
 * time of that exact shape (1–9 fraction digits, `Z`) is the parsed `YYYY-MM-DDTHH:MM:SSZ` plus
 * the fraction's first three digits as milliseconds, which is how Date.parse reads it; any other
 * shape goes to Date.parse itself.
 */
function timeParser(): (time: unknown) => number {
  let prefix = '';
  let prefixMs = Number.NaN;
  return (time: unknown): number => {
    if (typeof time !== 'string') {
      return Date.parse(time as string);
    }
    const length = time.length;
    if (
      length < 22 ||
      length > 30 ||
      time.charCodeAt(19) !== 0x2e || // .
      time.charCodeAt(length - 1) !== 0x5a // Z
    ) {
      return Date.parse(time);
    }
    let ms = 0;
    for (let i = 20; i < length - 1; i++) {
      const c = time.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) {
        return Date.parse(time);
      }
      if (i < 23) {
        ms = ms * 10 + (c - DIGIT_0);
      }
    }
    // One or two fraction digits are tenths / hundredths.
    for (let digits = length - 21; digits < 3; digits++) {
      ms *= 10;
    }
    if (!(time.startsWith(prefix) && prefix.length === 19)) {
      if (!isSecondsPrefix(time)) {
        return Date.parse(time);
      }
      prefix = time.slice(0, 19);
      prefixMs = Date.parse(`${prefix}Z`);
    }
    return Number.isNaN(prefixMs) ? Date.parse(time) : prefixMs + ms;
  };
}

export async function parseGoTestJson(
  input: ParserInput,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedTestReport> {
  // Every test in first-seen order (the report's order), and a lookup by package then name.
  const tests: TestState[] = [];
  const testsByPackage = new Map<string, Map<string, TestState>>();
  let lastPackage: string | undefined;
  let lastPackageTests: Map<string, TestState> | undefined;
  let lastTest: TestState | undefined;
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

  const parseTime = timeParser();
  const handle = (event: TestEvent, raw: RawEvent) => {
    const pkg = event.Package ?? '';
    if (event.Time) {
      const t = parseTime(event.Time);
      if (!Number.isNaN(t)) {
        firstTime = firstTime === undefined ? t : Math.min(firstTime, t);
        lastTime = lastTime === undefined ? t : Math.max(lastTime, t);
      }
    }

    // Go 1.24+: compiler output and build failures before the package's test binary runs.
    if (event.Action === 'build-output' || event.Action === 'build-fail') {
      const key = (raw.ImportPath as string | undefined) ?? pkg;
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
          const failedBuild = raw.FailedBuild as string | undefined;
          if (!state.failedTests || failedBuild) {
            const build = failedBuild
              ? buildOutput.get(failedBuild)
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

    // Consecutive events mostly belong to one test: compare before hashing.
    let test =
      lastTest !== undefined && event.Test === lastTest.name && pkg === lastTest.suite
        ? lastTest
        : undefined;
    if (test === undefined && (pkg !== lastPackage || !lastPackageTests)) {
      lastPackage = pkg;
      lastPackageTests = testsByPackage.get(pkg);
      if (!lastPackageTests) {
        lastPackageTests = new Map();
        testsByPackage.set(pkg, lastPackageTests);
      }
    }
    test ??= lastPackageTests!.get(event.Test);
    if (!test) {
      if (tests.length >= limits.maxTestCases) {
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
      lastPackageTests!.set(event.Test, test);
      tests.push(test);
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
    lastTest = test;

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

  const onLine = (line: string, lineNumber: number) => {
    // Events start with "{" at once; only other lines need trimming and the build-failure check.
    const trimmed = line.charCodeAt(0) === 0x7b ? line : line.trimStart();
    if (trimmed.charCodeAt(0) !== 0x7b) {
      if (trimmed.length > 0) {
        const buildFailed = trimmed.startsWith('FAIL')
          ? BUILD_FAILED_LINE.exec(trimmed)
          : null;
        if (buildFailed && !packageFailures.has(buildFailed[1])) {
          packageFailures.set(buildFailed[1], {
            suite: buildFailed[1],
            output: trimmed,
          });
        }
        ignoredLines += 1;
      }
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      throw new InputError(
        `Line ${lineNumber} starts with "{" but is not valid JSON: ${(e as Error).message}`,
      );
    }
    const raw = value as RawEvent;
    let event: TestEvent | undefined;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const Action = raw.Action;
      const Test = raw.Test;
      const Package = raw.Package;
      const Output = raw.Output;
      const Elapsed = raw.Elapsed;
      if (
        typeof Action === 'string' &&
        (Test === undefined || typeof Test === 'string') &&
        (Package === undefined || typeof Package === 'string') &&
        (Output === undefined || typeof Output === 'string') &&
        (Elapsed === undefined || typeof Elapsed === 'number')
      ) {
        event = { Action, Time: raw.Time, Package, Test, Elapsed, Output };
      }
    }
    if (!event) {
      throw new InputError(
        `Line ${lineNumber} is JSON but not a go test -json event (expected an object with a string "Action")`,
      );
    }
    events += 1;
    handle(event, raw);
  };

  // Lines are handled synchronously within each chunk; only reading the next chunk awaits.
  const splitter = new LineSplitter(limits.maxLineBytes, onLine);
  for await (const chunk of input) {
    splitter.push(chunk);
  }
  splitter.end();

  if (events === 0) {
    throw new InputError(
      'No go test -json events found: expected the output of `go test -json` (one JSON event per line)',
    );
  }
  finishRunning(undefined, NOTE_STREAM_ENDED);

  const cases: ParsedTestCase[] = [];
  const totals = { total: 0, passed: 0, failed: 0, skipped: 0 };
  for (const test of tests) {
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
