import { InputError } from '@backstage/errors';
import { ParseLimits, ParsedPolicyResult } from './types';

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
