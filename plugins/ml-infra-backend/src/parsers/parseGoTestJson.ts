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
 * `streamGoTestJson` hands each case to a sink as soon as it is final (a passed or skipped test
 * when it ends, a failed one when its package ends) and keeps only a small record per test (to
 * recognise reruns), so a stream of any length fits in a few dozen bytes per test.
 */
import { InputError } from '@backstage/errors';
import { CappedOutput } from './CappedOutput';
import {
  inMemory,
  TestCaseTally,
  testCase,
  TestReportStream,
} from './collectTestReport';
import { LineSplitter } from './readLines';
import { ACCEPTED_TEST_FORMATS } from './types';

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
  /** Position in the report (first-seen order). */
  index: number;
  status: 'running' | 'passed' | 'failed' | 'skipped';
  /** Handed to the sink; a rerun then supersedes it. */
  emitted: boolean;
  attempts: number;
  everFailed: boolean;
  durationMs?: number;
  output?: CappedOutput;
  note?: string;
}

interface PackageState {
  /** The package name every test of the package shares (one copy, not one per test). */
  name: string;
  output: CappedOutput;
  failedTests: boolean;
  /** Failed tests not handed over yet: output may still arrive until the package ends. */
  failedPending: TestState[];
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

const FINISHED_STATUS: Array<'passed' | 'failed' | 'skipped'> = [
  'passed',
  'failed',
  'skipped',
];
const EVER_FAILED = 4;

/** Result of each test handed to the sink, by index, in typed arrays that grow as needed. */
class FinishedTests {
  private flags = new Uint8Array(1024);
  private attemptCounts = new Uint32Array(1024);

  set(
    index: number,
    status: 'passed' | 'failed' | 'skipped',
    attempts: number,
    everFailed: boolean,
  ) {
    if (index >= this.flags.length) {
      const size = Math.max(index + 1, this.flags.length * 2);
      const flags = new Uint8Array(size);
      flags.set(this.flags);
      this.flags = flags;
      const attemptCounts = new Uint32Array(size);
      attemptCounts.set(this.attemptCounts);
      this.attemptCounts = attemptCounts;
    }
    this.flags[index] =
      FINISHED_STATUS.indexOf(status) | (everFailed ? EVER_FAILED : 0);
    this.attemptCounts[index] = attempts;
  }

  status(index: number) {
    return FINISHED_STATUS[this.flags[index] & 3];
  }

  attempts(index: number) {
    return this.attemptCounts[index];
  }

  everFailed(index: number) {
    return (this.flags[index] & EVER_FAILED) !== 0;
  }
}

/** Parses a `go test -json` stream, handing each test case to `onCase` once it is final. */
export const streamGoTestJson: TestReportStream = async (
  input,
  limits,
  onCase,
) => {
  // Every test seen, by package then name (for reruns), and how many there are.
  let testCount = 0;
  const tally = new TestCaseTally(onCase);
  let superseded = 0;
  // A test handed to the sink is kept as its index only (its result in `finished`), so a long
  // stream holds a few dozen bytes per test; it becomes a TestState again if it reruns.
  const testsByPackage = new Map<string, Map<string, TestState | number>>();
  const finished = new FinishedTests();
  let lastPackage: string | undefined;
  let lastPackageTests: Map<string, TestState | number> | undefined;
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
        name: pkg,
        output: new CappedOutput(limits.outputCapBytes),
        failedTests: false,
        failedPending: [],
      };
      packages.set(pkg, state);
    }
    return state;
  };

  /** Hands the test's current attempt to the sink; its result is final until a rerun. */
  const emit = (test: TestState) => {
    const status = test.status === 'running' ? 'failed' : test.status;
    test.status = status;
    const parsed = testCase(
      {
        name: test.name,
        suite: test.suite,
        status,
        attempts: test.attempts,
        flaky: status === 'passed' && test.everFailed,
      },
      test.durationMs,
    );
    if (status === 'failed') {
      const output =
        test.output && !test.output.isEmpty ? test.output.toString() : '';
      const text = test.note
        ? `${output}${output && !output.endsWith('\n') ? '\n' : ''}${
            test.note
          }\n`
        : output;
      if (text) {
        parsed.output = text;
      }
      if (test.output?.truncated) {
        parsed.outputTruncated = true;
      }
    }
    test.output = undefined;
    test.note = undefined;
    test.emitted = true;
    tally.add(parsed, test.index);
    finished.set(test.index, status, test.attempts, test.everFailed);
    testsByPackage.get(test.suite)!.set(test.name, test.index);
    if (lastTest === test) {
      lastTest = undefined;
    }
  };

  /** Takes back the counts of a handed-over attempt that a rerun replaces. */
  const retract = (test: TestState) => {
    const status = test.status as 'passed' | 'failed' | 'skipped';
    tally.retract(status, status === 'passed' && test.everFailed);
    test.emitted = false;
    superseded += 1;
  };

  /** Emits the failed tests of a package (every package when `pkg` is undefined). */
  const flushFailed = (pkg: string | undefined) => {
    const states =
      pkg === undefined ? [...packages.values()] : [packages.get(pkg)];
    for (const state of states) {
      if (!state || state.failedPending.length === 0) {
        continue;
      }
      // In report order, as the tests were first seen.
      state.failedPending.sort((a, b) => a.index - b.index);
      for (const test of state.failedPending) {
        if (test.status === 'failed' && !test.emitted) {
          emit(test);
        }
      }
      state.failedPending = [];
    }
  };

  const finishRunning = (pkg: string | undefined, note: string) => {
    for (const test of running) {
      if (pkg === undefined || test.suite === pkg) {
        running.delete(test);
        test.status = 'failed';
        test.everFailed = true;
        test.note = note;
        const state = packageState(test.suite);
        state.failedTests = true;
        state.failedPending.push(test);
      }
    }
    flushFailed(pkg);
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
      lastTest !== undefined &&
      event.Test === lastTest.name &&
      pkg === lastTest.suite
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
    if (test === undefined) {
      const known = lastPackageTests!.get(event.Test);
      if (typeof known === 'number') {
        test = {
          name: event.Test,
          suite: packageState(pkg).name,
          index: known,
          status: finished.status(known),
          emitted: true,
          attempts: finished.attempts(known),
          everFailed: finished.everFailed(known),
        };
        lastPackageTests!.set(event.Test, test);
      } else {
        test = known;
      }
    }
    if (!test) {
      if (testCount >= limits.maxTestCases) {
        throw new InputError(
          `The report has more than ${limits.maxTestCases} tests (maxTestCases)`,
        );
      }
      test = {
        name: event.Test,
        suite: packageState(pkg).name,
        index: testCount++,
        status: 'running',
        emitted: false,
        attempts: 1,
        everFailed: false,
        output: new CappedOutput(limits.outputCapBytes),
      };
      lastPackageTests!.set(event.Test, test);
      running.add(test);
    } else if (test.status !== 'running' && event.Action === 'run') {
      // The same test again in one stream: a rerun (e.g. gotestsum --rerun-fails).
      if (test.emitted) {
        retract(test);
      }
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
        if (
          event.Output &&
          !test.emitted &&
          test.status !== 'passed' &&
          test.status !== 'skipped'
        ) {
          test.output ??= new CappedOutput(limits.outputCapBytes);
          test.output.append(event.Output);
        }
        break;
      case 'pass':
      case 'bench':
      case 'skip':
        if (test.emitted) {
          retract(test);
        }
        running.delete(test);
        test.status = event.Action === 'skip' ? 'skipped' : 'passed';
        test.output = undefined;
        if (event.Elapsed !== undefined) {
          test.durationMs = Math.round(event.Elapsed * 1000);
        }
        emit(test);
        break;
      case 'fail': {
        const wasPending = test.status === 'failed' && !test.emitted;
        if (test.emitted) {
          retract(test);
        }
        running.delete(test);
        test.status = 'failed';
        test.everFailed = true;
        const state = packageState(pkg);
        state.failedTests = true;
        if (!wasPending) {
          state.failedPending.push(test);
        }
        if (event.Elapsed !== undefined) {
          test.durationMs = Math.round(event.Elapsed * 1000);
        }
        break;
      }
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
        `Line ${lineNumber} starts with "{" but is not valid JSON: ${
          (e as Error).message
        }`,
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
      `No go test -json events found: expected the output of \`go test -json\` (one JSON event per line); ${ACCEPTED_TEST_FORMATS}`,
    );
  }
  finishRunning(undefined, NOTE_STREAM_ENDED);

  // Wall clock when events carry Time, else the packages' own elapsed times.
  let durationMs: number | undefined;
  if (
    firstTime !== undefined &&
    lastTime !== undefined &&
    lastTime > firstTime
  ) {
    durationMs = lastTime - firstTime;
  } else if (elapsedSumMs > 0) {
    durationMs = Math.round(elapsedSumMs);
  }

  return {
    format: 'go-test-json',
    totals: tally.totals,
    ...(durationMs !== undefined ? { durationMs } : {}),
    packageFailures: [...packageFailures.values()],
    ignoredLines,
    flaky: tally.flaky,
    superseded,
  };
};

/** The whole report in memory; see {@link streamGoTestJson} for reports of any size. */
export const parseGoTestJson = inMemory(streamGoTestJson);
