import { InputError } from '@backstage/errors';
import { readJsonDocument, stringField } from './readJsonDocument';
import {
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
  ParsedPolicyReport,
  ParsedPolicyResult,
  ParserInput,
} from './types';

/**
 * A Terraform resource address opening a message, as policies over a JSON plan write them
 * (`sprintf("%s has no ...", [rc.address])`): module path, `data.`, `type.name`, instance key.
 * The type must contain an underscore (`aws_s3_bucket`), so ordinary prose does not match.
 */
const LEADING_ADDRESS =
  /^((?:module\.[A-Za-z_][\w-]*(?:\[(?:\d+|"[^"\]]*")\])?\.)*(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[(?:\d+|"[^"\]]*")\])?)(?=[\s:,]|$)/;

/** The resource a message names first, when it opens with a Terraform address. */
export function resourceInMessage(message: string | undefined) {
  return message ? LEADING_ADDRESS.exec(message)?.[1] : undefined;
}

/** Collects policy results, enforcing `limits.maxResults`. */
export class ResultCollector {
  readonly results: ParsedPolicyResult[] = [];

  constructor(private readonly limits: ParseLimits) {}

  add(result: ParsedPolicyResult): void {
    if (this.results.length >= this.limits.maxResults) {
      throw new InputError(
        `The report has more than ${this.limits.maxResults} results (maxResults)`,
      );
    }
    // Most policies over a plan name the resource only in their message.
    result.resource ??= resourceInMessage(result.message);
    // Drop undefined optional fields so results compare and serialise cleanly.
    for (const key of Object.keys(result) as Array<keyof ParsedPolicyResult>) {
      if (result[key] === undefined) delete result[key];
    }
    this.results.push(result);
  }
}

/** The control a policy's metadata names: `control`, else `control_id`. */
export function controlIn(metadata: Record<string, unknown>) {
  return stringField(metadata.control) ?? stringField(metadata.control_id);
}

/**
 * A parser of a policy report read whole as one JSON document (up to `maxDocumentBytes`):
 * `collect` checks the document, adds its results to the collector and returns the rest of the
 * report.
 */
export function jsonPolicyParser(
  expected: string,
  collect: (
    doc: unknown,
    collector: ResultCollector,
  ) => Omit<ParsedPolicyReport, 'results'>,
) {
  return async (
    input: ParserInput,
    limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  ): Promise<ParsedPolicyReport> => {
    const doc = await readJsonDocument(input, limits, expected);
    const collector = new ResultCollector(limits);
    const { format, ...rest } = collect(doc, collector);
    return { format, results: collector.results, ...rest };
  };
}
