import { InputError } from '@backstage/errors';
import { ParseLimits, ParsedPolicyResult } from './types';

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
    // Drop undefined optional fields so results compare and serialise cleanly.
    for (const key of Object.keys(result) as Array<keyof ParsedPolicyResult>) {
      if (result[key] === undefined) delete result[key];
    }
    this.results.push(result);
  }
}
