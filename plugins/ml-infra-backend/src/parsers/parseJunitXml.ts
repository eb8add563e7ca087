/**
 * Streaming parser for JUnit XML reports (Terratest via go-junit-report / terratest_log_parser /
 * gotestsum, Surefire, nextest, Catch2, ScalaTest …), built on saxes.
 *
 * Accepts a `<testsuites>` or `<testsuite>` root (nested suites too); `<failure>` and `<error>`
 * fail a case, `<skipped>` (or a `status` of disabled/skipped) skips it, Surefire's
 * `<flakyFailure>`/`<rerunFailure>` count as extra attempts. `<system-out>`/`<system-err>` and
 * failure text are kept, capped, for failed cases only. A `<failure>`/`<error>` directly under a
 * suite is a package failure.
 *
 * Hostile input: any DOCTYPE is rejected before anything else (no entity expansion is possible),
 * as are nesting deeper than `maxXmlDepth`, more than `maxXmlAttributes` attributes on an element,
 * more than `maxTestCases` test cases and text nodes longer than `maxLineBytes`.
 */
import { InputError } from '@backstage/errors';
import { SaxesParser } from 'saxes';
import { CappedOutput } from './CappedOutput';
import {
  inMemory,
  TestCaseTally,
  testCase,
  TestReportStream,
} from './collectTestReport';
import { ParsedTestCase, ParsedTestReport } from './types';

/** Slice size fed to saxes, so the pending-text check runs often enough to bound memory. */
const WRITE_SLICE_CHARS = 64 * 1024;
/** Testcase properties kept per case; more are ignored (they are informational). */
const MAX_CASE_PROPERTIES = 100;
/** The `line:column: ` prefix saxes puts on its errors (no fileName option is set). */
const SAXES_ERROR = /^\d+:\d+: /;
const SKIPPED_STATUSES = new Set(['disabled', 'skipped', 'notrun', 'ignored']);

interface SuiteFrame {
  name: string;
  output?: CappedOutput;
  failed: boolean;
}

interface CaseFrame {
  name: string;
  suite: string;
  durationMs?: number;
  status: ParsedTestCase['status'];
  attempts: number;
  flaky: boolean;
  output: CappedOutput;
  properties?: Record<string, string>;
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

/**
 * A copy of an attribute value that is kept beyond the current element. saxes hands out slices
 * of its input chunk, and V8 keeps a whole (64 K) chunk alive for a slice of it: retaining one
 * test name per case kept every chunk of the upload alive (~20 MB of heap per 20 MB report)
 * and multiplied the GC work.
 */
function detach(value: string): string {
  // Flattening the concatenation copies the characters into a new string.
  return ` ${value}`.slice(1);
}

/** Seconds (`1.5`, `1,234.5`) to whole milliseconds; undefined when absent or unparsable. */
function secondsToMs(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const seconds = Number(
    (value.indexOf(',') === -1 ? value : value.replace(/,/g, '')).trim(),
  );
  return value.trim() !== '' && Number.isFinite(seconds)
    ? Math.round(seconds * 1000)
    : undefined;
}

/** Parses a JUnit XML report, handing each test case to `onCase` at its end tag. */
export const streamJunitXml: TestReportStream = async (
  input,
  limits,
  onCase,
) => {
  const parser = new SaxesParser({ position: true });
  const tally = new TestCaseTally(onCase);
  const packageFailures: ParsedTestReport['packageFailures'] = [];
  const suites: SuiteFrame[] = [];
  const stack: string[] = [];
  let current: CaseFrame | undefined;
  /** Where text goes right now: failure/system-out of a case or suite, else nowhere. */
  let textSink: CappedOutput | undefined;
  let pendingDetail: { detail: string; message: string } | undefined;
  let rootSeen = false;
  let rootDurationMs: number | undefined;
  let suiteDurationMs = 0;
  let attributeCount = 0;
  let caseCount = 0;

  // Cases of one suite share one copy of its class name.
  let lastClassname: string | undefined;
  const caseSuite = (classname: string | undefined): string => {
    if (classname) {
      if (classname !== lastClassname) {
        lastClassname = detach(classname);
      }
      return lastClassname;
    }
    return suites[suites.length - 1]?.name || '';
  };

  const where = () => `line ${parser.line}, column ${parser.column}`;

  // Keep the number of handlers low: saxes stores each one with a keyed property store, and
  // past 7 of them V8 turns the parser object into a slow dictionary-mode object, which made
  // every character saxes reads ~5x slower. So no 'error' handler (saxes then throws, see
  // `guarded` below) and no 'opentagstart' (the attribute count is reset on 'opentag').
  parser.on('doctype', () => {
    throw new InputError('DOCTYPE is not allowed in JUnit uploads');
  });
  parser.on('attribute', () => {
    attributeCount += 1;
    if (attributeCount > limits.maxXmlAttributes) {
      throw new InputError(
        `An element at ${where()} has more than ${
          limits.maxXmlAttributes
        } attributes (maxXmlAttributes)`,
      );
    }
  });

  parser.on('opentag', tag => {
    // The next attributes belong to the next element.
    attributeCount = 0;
    const name = localName(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    stack.push(name);
    if (stack.length > limits.maxXmlDepth) {
      throw new InputError(
        `XML nesting deeper than ${
          limits.maxXmlDepth
        } levels at ${where()} (maxXmlDepth)`,
      );
    }
    if (stack.length === 1) {
      if (name !== 'testsuites' && name !== 'testsuite') {
        throw new InputError(
          `Expected a JUnit report with a <testsuites> or <testsuite> root element, got <${tag.name}>`,
        );
      }
      rootSeen = true;
      if (name === 'testsuites') {
        rootDurationMs = secondsToMs(attrs.time);
      }
    }
    const parent = stack[stack.length - 2];

    switch (name) {
      case 'testsuite': {
        const enclosing = suites[suites.length - 1];
        suites.push({
          name:
            attrs.name !== undefined
              ? detach(attrs.name)
              : enclosing?.name ?? '',
          failed: false,
        });
        // Top-level suites only: nested suites' time is included in their parent's.
        if (suites.length === 1) {
          suiteDurationMs += secondsToMs(attrs.time) ?? 0;
        }
        return;
      }
      case 'testcase': {
        caseCount += 1;
        if (caseCount > limits.maxTestCases) {
          throw new InputError(
            `The report has more than ${limits.maxTestCases} test cases (maxTestCases)`,
          );
        }
        const status = attrs.status?.toLowerCase();
        current = {
          name: attrs.name !== undefined ? detach(attrs.name) : '',
          suite: caseSuite(attrs.classname),
          durationMs: secondsToMs(attrs.time),
          status: status && SKIPPED_STATUSES.has(status) ? 'skipped' : 'passed',
          attempts: 1,
          flaky: false,
          output: new CappedOutput(limits.outputCapBytes),
        };
        return;
      }
      case 'failure':
      case 'error': {
        const detail = [attrs.type, attrs.message].filter(Boolean).join(': ');
        if (current && parent === 'testcase') {
          current.status = 'failed';
          textSink = current.output;
        } else if (parent === 'testsuite' && suites.length) {
          const suite = suites[suites.length - 1];
          suite.failed = true;
          suite.output ??= new CappedOutput(limits.outputCapBytes);
          textSink = suite.output;
        } else {
          return;
        }
        // Written with the first text, unless the body already repeats it (Surefire does).
        pendingDetail = detail
          ? { detail, message: attrs.message ?? '' }
          : undefined;
        return;
      }
      case 'rerunFailure':
      case 'rerunError':
      case 'flakyFailure':
      case 'flakyError':
        if (current && parent === 'testcase') {
          current.attempts += 1;
          if (name.startsWith('flaky')) {
            current.flaky = true;
          } else {
            current.status = 'failed';
          }
          textSink = current.output;
          if (attrs.message) {
            textSink.append(`${attrs.message}\n`);
          }
        }
        return;
      case 'skipped':
        if (current && parent === 'testcase' && current.status !== 'failed') {
          current.status = 'skipped';
        }
        return;
      case 'system-out':
      case 'system-err':
        if (current && parent === 'testcase') {
          textSink = current.output;
        }
        return;
      case 'property':
        if (current && parent === 'properties' && attrs.name !== undefined) {
          current.properties ??= {};
          if (Object.keys(current.properties).length >= MAX_CASE_PROPERTIES) {
            return;
          }
          current.properties[detach(attrs.name)] =
            attrs.value !== undefined ? detach(attrs.value) : '';
        }
        return;
      default:
        return;
    }
  });

  const flushDetail = (body: string) => {
    if (pendingDetail && textSink) {
      const { detail, message } = pendingDetail;
      if (!message || !body.includes(message)) {
        textSink.append(`${detail}\n`);
      }
    }
    pendingDetail = undefined;
  };
  const onText = (text: string) => {
    if (!textSink) {
      return;
    }
    if (pendingDetail && text.trim()) {
      flushDetail(text);
    }
    textSink.append(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', tag => {
    const name = localName(tag.name);
    stack.pop();
    switch (name) {
      case 'failure':
      case 'error':
      case 'rerunFailure':
      case 'rerunError':
      case 'flakyFailure':
      case 'flakyError':
      case 'system-out':
      case 'system-err':
        flushDetail('');
        if (textSink && !textSink.isEmpty) {
          textSink.append('\n');
        }
        textSink = undefined;
        return;
      case 'testcase':
        if (current) {
          const parsed = testCase(
            {
              name: current.name,
              suite: current.suite,
              status: current.status,
              attempts: current.attempts,
              flaky: current.flaky && current.status === 'passed',
            },
            current.durationMs,
          );
          if (current.status === 'failed' && !current.output.isEmpty) {
            parsed.output = current.output.toString();
            if (current.output.truncated) {
              parsed.outputTruncated = true;
            }
          }
          if (current.properties) {
            parsed.properties = current.properties;
          }
          tally.add(parsed, tally.totals.total);
        }
        current = undefined;
        return;
      case 'testsuite': {
        const suite = suites.pop();
        if (suite?.failed) {
          packageFailures.push({
            suite: suite.name,
            ...(suite.output && !suite.output.isEmpty
              ? { output: suite.output.toString() }
              : {}),
          });
        }
        return;
      }
      default:
        return;
    }
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pendingText = parser as unknown as { text: string };
  /**
   * Runs a saxes call, turning saxes' own well-formedness errors (thrown as `line:column: message`
   * without an 'error' handler) into InputErrors pointing at the problem.
   */
  const guarded = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (
        e instanceof Error &&
        !(e instanceof InputError) &&
        SAXES_ERROR.test(e.message)
      ) {
        const message = e.message.replace(SAXES_ERROR, '');
        throw new InputError(`Malformed XML at ${where()}: ${message}`);
      }
      throw e;
    }
  };
  const write = (text: string) => {
    for (let i = 0; i < text.length; i += WRITE_SLICE_CHARS) {
      const slice =
        i === 0 && text.length <= WRITE_SLICE_CHARS
          ? text
          : text.slice(i, i + WRITE_SLICE_CHARS);
      guarded(() => parser.write(slice));
      // saxes accumulates a text node until its end tag; refuse to hold an unbounded one.
      if (pendingText.text.length > limits.maxLineBytes) {
        throw new InputError(
          `A text node at ${where()} is longer than ${
            limits.maxLineBytes
          } characters (maxLineBytes)`,
        );
      }
    }
  };

  let started = false;
  for await (const chunk of input) {
    let text: string;
    if (typeof chunk === 'string') {
      text = chunk;
    } else {
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        // Everything before this chunk went through saxes: count lines up to the bad byte.
        const lenient = new TextDecoder().decode(chunk);
        const before = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
        const line = parser.line + (before.match(/\n/g)?.length ?? 0);
        throw new InputError(`Invalid UTF-8 in the XML at line ${line}`);
      }
    }
    if (!started) {
      // Fail fast on something that is not XML at all (e.g. a raw `go test` log).
      const head = text.replace(/^\uFEFF/, '').trimStart();
      if (head.length > 0) {
        if (!head.startsWith('<')) {
          throw new InputError(
            'Expected JUnit XML (a document starting with "<"), got text at line 1',
          );
        }
        started = true;
      }
    }
    write(text);
  }
  try {
    write(decoder.decode());
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`Invalid UTF-8 at the end of the XML (${where()})`);
  }
  if (!started) {
    throw new InputError(
      'No JUnit XML found: expected a <testsuites> or <testsuite> root element',
    );
  }
  guarded(() => parser.close());

  if (!rootSeen) {
    throw new InputError(
      'No JUnit XML found: expected a <testsuites> or <testsuite> root element',
    );
  }

  const durationMs = rootDurationMs ?? (suiteDurationMs || undefined);
  return {
    format: 'junit',
    totals: tally.totals,
    ...(durationMs !== undefined ? { durationMs } : {}),
    packageFailures,
    ignoredLines: 0,
    flaky: tally.flaky,
    superseded: 0,
  };
};

/** The whole report in memory; see {@link streamJunitXml} for reports of any size. */
export const parseJunitXml = inMemory(streamJunitXml);
