/**
 * Parser for Terraform plans: `terraform show -json` (plan `format_version` 0.x/1.x) and the HCP
 * Terraform redacted JSON plan (`plan_format_version` 1.1), which share `resource_drift` and
 * `resource_changes`; also the `terraform plan -json` UI log (JSON lines with `@level`).
 *
 * A JSON plan is streamed with stream-json (parser → pick → streamValues): only one resource
 * entry is assembled at a time, so a tens-of-MB single-line plan is never parsed whole.
 * `no-op` and `read` changes are left out; `["delete","create"]` in either order is `replace`.
 * `changedAttributes` are the top-level attributes whose before/after differ, plus those whose
 * `after_unknown` holds a `true`, sorted; `attributes` holds their before/after values as display
 * text, capped. A value the plan marks sensitive (`before_sensitive` / `after_sensitive`) is never
 * kept, only flagged. The UI log carries no attribute values, so there both are empty.
 */
import { InputError } from '@backstage/errors';
import {
  AttributeChange,
  DriftResource,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { once } from 'events';
import { finished } from 'stream/promises';
import { parser as makeParser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamValues } from 'stream-json/streamers/StreamValues';
import { readLines } from './readLines';
import { isRecord, stringField } from './readJsonDocument';
import {
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
  ParsedPlan,
  ParserInput,
} from './types';

const EXPECTED =
  'a Terraform JSON plan (`terraform show -json plan.tfplan`) or a `terraform plan -json` log';
const RESOURCE_LISTS = new Set(['resource_drift', 'resource_changes']);
const VERSION_KEYS = new Set([
  'format_version',
  'plan_format_version',
  'terraform_version',
]);
const IGNORED_ACTIONS = new Set(['no-op', 'noop', 'read']);
const UI_LOG_START = /^\s*\{\s*"@(level|message|module|timestamp)"/;
const SNIFF_BYTES = 1024;
/** Longest attribute value kept, in characters: enough to read, small enough to store per check. */
const MAX_VALUE_CHARS = 512;

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(
        k =>
          Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]),
      )
    );
  }
  return false;
}

function containsTrue(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(containsTrue);
  if (isRecord(value)) return Object.values(value).some(containsTrue);
  return false;
}

/** The sensitivity marker of one attribute: `true`, or a structure holding a `true`. */
function sensitiveIn(marker: unknown, key: string): boolean {
  if (marker === true) return true;
  return isRecord(marker) && containsTrue(marker[key]);
}

function displayValue(value: unknown): { text?: string; truncated?: boolean } {
  if (value === null || value === undefined) return {};
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS
    ? { text: `${text.slice(0, MAX_VALUE_CHARS)}…`, truncated: true }
    : { text };
}

function attributeChange(
  name: string,
  change: Record<string, unknown>,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  unknown: Record<string, unknown>,
): AttributeChange {
  const attribute: AttributeChange = { name };
  if (
    sensitiveIn(change.before_sensitive, name) ||
    sensitiveIn(change.after_sensitive, name)
  ) {
    attribute.sensitive = true;
    return attribute;
  }
  const was = displayValue(before[name]);
  const now = displayValue(after[name]);
  if (was.text !== undefined) attribute.before = was.text;
  if (containsTrue(unknown[name])) {
    attribute.afterUnknown = true;
  }
  if (now.text !== undefined) attribute.after = now.text;
  if (was.truncated || now.truncated) attribute.truncated = true;
  return attribute;
}

function actionOf(actions: string[]): string {
  if (
    actions.length === 2 &&
    actions.includes('delete') &&
    actions.includes('create')
  ) {
    return 'replace';
  }
  return actions.join(',');
}

/** One `resource_drift` / `resource_changes` entry; undefined for no-op and read. */
function toDriftResource(
  entry: unknown,
  source: DriftResource['source'],
  where: string,
): DriftResource | undefined {
  if (
    !isRecord(entry) ||
    !isRecord(entry.change) ||
    !Array.isArray(entry.change.actions)
  ) {
    throw new InputError(
      `${where} is not a resource change (expected address, type and change.actions)`,
    );
  }
  const address = stringField(entry.address);
  if (!address) {
    throw new InputError(`${where} has no "address"`);
  }
  const actions = entry.change.actions.filter(
    (a): a is string => typeof a === 'string',
  );
  if (!actions.length || actions.every(a => IGNORED_ACTIONS.has(a))) {
    return undefined;
  }
  const before = isRecord(entry.change.before) ? entry.change.before : {};
  const after = isRecord(entry.change.after) ? entry.change.after : {};
  const unknown = isRecord(entry.change.after_unknown)
    ? entry.change.after_unknown
    : {};
  const changed = new Set<string>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!deepEqual(before[key], after[key])) changed.add(key);
  }
  for (const [key, value] of Object.entries(unknown)) {
    if (containsTrue(value)) changed.add(key);
  }
  const changedAttributes = [...changed].sort();
  const resource: DriftResource = {
    address,
    type: stringField(entry.type) ?? '',
    action: actionOf(actions),
    changedAttributes,
    source,
  };
  if (changedAttributes.length) {
    resource.attributes = changedAttributes.map(name =>
      attributeChange(
        name,
        entry.change as Record<string, unknown>,
        before,
        after,
        unknown,
      ),
    );
  }
  const previousAddress = stringField(entry.previous_address);
  if (previousAddress) {
    resource.previousAddress = previousAddress;
  }
  return resource;
}

class PlanBuilder {
  readonly plan: ParsedPlan = { drift: [], changes: [] };
  private count = 0;

  constructor(private readonly limits: ParseLimits) {}

  add(resource: DriftResource | undefined) {
    if (!resource) return;
    this.count += 1;
    if (this.count > this.limits.maxResults) {
      throw new InputError(
        `The plan has more than ${this.limits.maxResults} resources (maxResults)`,
      );
    }
    (resource.source === 'drift' ? this.plan.drift : this.plan.changes).push(
      resource,
    );
  }
}

async function parseShowJson(
  chunks: AsyncIterable<string>,
  limits: ParseLimits,
): Promise<ParsedPlan> {
  const builder = new PlanBuilder(limits);
  let sawPlanKey = false;
  // Pick's filter runs once per picked value, in order; streamValues emits them in the same
  // order, so this queue tells which top-level key each emitted value came from.
  const origins: string[] = [];
  const jsonParser = makeParser({ streamValues: false });
  const picker = pick({
    filter: stack => {
      const top = stack[0];
      if (typeof top !== 'string') return false;
      const picked =
        (stack.length === 1 && VERSION_KEYS.has(top)) ||
        (stack.length === 2 &&
          RESOURCE_LISTS.has(top) &&
          typeof stack[1] === 'number');
      if (picked) origins.push(top);
      return picked;
    },
  });
  const values = streamValues();
  // Empty resource lists are still plan keys: note top-level keys as they pass.
  let depth = 0;
  jsonParser.on('data', (token: { name: string; value?: unknown }) => {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        depth += 1;
        break;
      case 'endObject':
      case 'endArray':
        depth -= 1;
        break;
      case 'keyValue':
        if (
          depth === 1 &&
          (RESOURCE_LISTS.has(token.value as string) ||
            VERSION_KEYS.has(token.value as string))
        ) {
          sawPlanKey = true;
        }
        break;
      default:
        break;
    }
  });

  let failure: Error | undefined;
  const fail = (e: Error) => {
    failure ??=
      e instanceof InputError
        ? e
        : new InputError(
            `Expected ${EXPECTED}, but the JSON is malformed: ${e.message}`,
          );
    jsonParser.destroy();
    picker.destroy();
    values.destroy();
  };
  jsonParser.on('error', fail);
  picker.on('error', fail);
  values.on('error', fail);
  values.on('data', ({ value }: { value: unknown }) => {
    if (failure) return;
    const origin = origins.shift()!;
    try {
      if (VERSION_KEYS.has(origin)) {
        const version = stringField(value);
        if (origin === 'terraform_version')
          builder.plan.terraformVersion = version;
        else builder.plan.formatVersion ??= version;
        return;
      }
      const source = origin === 'resource_drift' ? 'drift' : 'change';
      const index =
        source === 'drift'
          ? builder.plan.drift.length
          : builder.plan.changes.length;
      builder.add(toDriftResource(value, source, `${origin} entry ${index}`));
    } catch (e) {
      fail(e as Error);
    }
  });
  jsonParser.pipe(picker).pipe(values);

  try {
    for await (const text of chunks) {
      if (failure) break;
      if (!jsonParser.write(text)) {
        await Promise.race([
          once(jsonParser, 'drain'),
          once(jsonParser, 'close'),
        ]);
      }
    }
    if (!failure) {
      jsonParser.end();
      await finished(values);
    }
  } catch (e) {
    if (!failure) fail(e as Error);
  }
  if (failure) throw failure;
  if (!sawPlanKey) {
    throw new InputError(
      `Expected ${EXPECTED}: no "resource_changes", "resource_drift" or "format_version" found`,
    );
  }
  return builder.plan;
}

/** `terraform plan -json`: one UI message per line; `resource_drift` / `planned_change` matter. */
async function parseUiLog(
  chunks: AsyncIterable<string>,
  limits: ParseLimits,
): Promise<ParsedPlan> {
  const builder = new PlanBuilder(limits);
  let messages = 0;
  for await (const { line, lineNumber } of readLines(
    chunks,
    limits.maxLineBytes,
  )) {
    if (!line.trim()) continue;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (e) {
      throw new InputError(
        `Line ${lineNumber} of the terraform plan -json log is not valid JSON: ${
          (e as Error).message
        }`,
      );
    }
    if (!isRecord(message) || typeof message.type !== 'string') {
      throw new InputError(
        `Line ${lineNumber} is not a terraform plan -json message (no "type")`,
      );
    }
    messages += 1;
    if (message.type === 'version') {
      builder.plan.terraformVersion = stringField(message.terraform);
      builder.plan.formatVersion = stringField(message.ui);
      continue;
    }
    if (message.type !== 'planned_change' && message.type !== 'resource_drift')
      continue;
    const change = isRecord(message.change) ? message.change : {};
    const resource = isRecord(change.resource) ? change.resource : {};
    const address = stringField(resource.addr);
    const action = stringField(change.action);
    if (!address || !action) {
      throw new InputError(
        `Line ${lineNumber}: ${message.type} without change.resource.addr or change.action`,
      );
    }
    if (IGNORED_ACTIONS.has(action)) continue;
    const previous = isRecord(change.previous_resource)
      ? stringField(change.previous_resource.addr)
      : undefined;
    builder.add({
      address,
      type: stringField(resource.resource_type) ?? '',
      action,
      changedAttributes: [],
      source: message.type === 'resource_drift' ? 'drift' : 'change',
      ...(previous ? { previousAddress: previous } : {}),
    });
  }
  if (!messages) {
    throw new InputError(`Expected ${EXPECTED}, got an empty body`);
  }
  return builder.plan;
}

/** Strict UTF-8 decoding of the upload, as strings. */
async function* decode(input: ParserInput): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of input) {
      yield typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk, { stream: true });
    }
    yield decoder.decode();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('The plan is not valid UTF-8');
  }
}

export async function parsePlanJson(
  input: ParserInput,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedPlan> {
  // Sniff the start to tell a JSON plan from a UI log, then replay it to the chosen parser.
  const source = decode(input)[Symbol.asyncIterator]();
  const head: string[] = [];
  let headText = '';
  let exhausted = false;
  while (headText.trimStart().length < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    head.push(next.value);
    headText += next.value;
  }
  const start = headText.replace(/^\uFEFF/, '').trimStart();
  if (!start) {
    throw new InputError(`Expected ${EXPECTED}, got an empty body`);
  }
  if (!start.startsWith('{')) {
    throw new InputError(
      `Expected ${EXPECTED}, but the body does not start with "{"`,
    );
  }
  async function* replay(): AsyncGenerator<string> {
    yield* head;
    if (exhausted) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return UI_LOG_START.test(start)
    ? parseUiLog(replay(), limits)
    : parseShowJson(replay(), limits);
}
