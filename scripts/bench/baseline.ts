/**
 * Bare parses of the same bytes the backend ingests, measured in the same run: the throughput
 * ceiling the ingestion ratio is computed against.
 */
import fs from 'fs';
import { SaxesParser } from 'saxes';
import {
  DEFAULT_PARSE_LIMITS,
  parsePlanJson,
  streamGoTestJson,
  streamJunitXml,
} from '../../plugins/ml-infra-backend/src/parsers';

export interface BaselineResult {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  items: number;
}

function result(bytes: number, started: bigint, items: number): BaselineResult {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { bytes, seconds, mbPerSecond: bytes / 1e6 / seconds, items };
}

/** Line-by-line `JSON.parse` over a file stream (non-JSON lines skipped, as go test -json has some). */
export async function goTestJsonBaseline(
  file: string,
): Promise<BaselineResult> {
  const started = process.hrtime.bigint();
  let bytes = 0;
  let events = 0;
  let rest: Buffer | undefined;
  const parseLine = (buf: Buffer, start: number, end: number) => {
    if (end > start) {
      try {
        JSON.parse(buf.toString('utf8', start, end));
        events += 1;
      } catch {
        // build output and other non-JSON lines
      }
    }
  };
  for await (const chunk of fs.createReadStream(
    file,
  ) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    let buf = chunk;
    if (rest) {
      buf = Buffer.concat([rest, chunk]);
      rest = undefined;
    }
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) break;
      parseLine(buf, start, nl);
      start = nl + 1;
    }
    if (start < buf.length) rest = buf.subarray(start);
  }
  if (rest) parseLine(rest, 0, rest.length);
  return result(bytes, started, events);
}

/** A streaming saxes parse with trivial handlers (count elements and text). */
export async function junitBaseline(file: string): Promise<BaselineResult> {
  const started = process.hrtime.bigint();
  const parser = new SaxesParser({ position: true });
  let elements = 0;
  let chars = 0;
  parser.on('opentag', () => {
    elements += 1;
  });
  parser.on('text', text => {
    chars += text.length;
  });
  parser.on('cdata', text => {
    chars += text.length;
  });
  let bytes = 0;
  const stream = fs.createReadStream(file);
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    bytes += Buffer.byteLength(chunk);
    parser.write(chunk);
  }
  parser.close();
  return result(bytes, started, elements);
}

/** Read the whole plan and `JSON.parse` it. */
export async function planBaseline(file: string): Promise<BaselineResult> {
  const started = process.hrtime.bigint();
  const text = await fs.promises.readFile(file, 'utf8');
  const plan = JSON.parse(text);
  const items =
    (plan.resource_drift?.length ?? 0) + (plan.resource_changes?.length ?? 0);
  return result(Buffer.byteLength(text), started, items);
}

/** Best of `runs` (the highest throughput), so the ratio is not flattered by a slow baseline. */
export async function bestOf(
  runs: number,
  fn: () => Promise<BaselineResult>,
): Promise<BaselineResult> {
  let best: BaselineResult | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await fn();
    if (!best || r.mbPerSecond > best.mbPerSecond) best = r;
  }
  return best!;
}

/**
 * The plugin's own parser alone on the file (no HTTP, no database): a diagnostic that splits the
 * end-to-end cost into parsing and the rest.
 */
export async function parserOnly(
  kind: 'go' | 'junit' | 'plan',
  file: string,
): Promise<BaselineResult> {
  const started = process.hrtime.bigint();
  const bytes = fs.statSync(file).size;
  const input = fs.createReadStream(file);
  let items: number;
  // The streaming parsers the ingestion uses, cases handed to a sink that drops them.
  const limits = { ...DEFAULT_PARSE_LIMITS, maxTestCases: Infinity };
  if (kind === 'go') {
    items = (await streamGoTestJson(input, limits, () => {})).totals.total;
  } else if (kind === 'junit') {
    items = (await streamJunitXml(input, limits, () => {})).totals.total;
  } else {
    const plan = await parsePlanJson(input);
    items = plan.drift.length + plan.changes.length;
  }
  return result(bytes, started, items);
}
