/**
 * Reads a whole JSON document (conftest, `opa eval`, SARIF reports are small) as strict UTF-8,
 * bounded by `limits.maxDocumentBytes`, and parses it. Errors name the format expected.
 */
import { InputError } from '@backstage/errors';
import { ParseLimits, ParserInput } from './types';

export async function readJsonDocument(
  input: ParserInput,
  limits: ParseLimits,
  expected: string,
): Promise<unknown> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  let bytes = 0;
  try {
    for await (const chunk of input) {
      const buf =
        typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      bytes += buf.length;
      if (bytes > limits.maxDocumentBytes) {
        throw new InputError(
          `The ${expected} document is larger than ${limits.maxDocumentBytes} bytes (maxDocumentBytes)`,
        );
      }
      parts.push(decoder.decode(buf, { stream: true }));
    }
    parts.push(decoder.decode());
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`The ${expected} document is not valid UTF-8`);
  }
  const text = parts.join('').replace(/^\uFEFF/, '');
  if (!text.trim()) {
    throw new InputError(`Expected ${expected}, got an empty body`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `Expected ${expected}, but the body is not valid JSON: ${
        (e as Error).message
      }`,
    );
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or undefined when absent or not a non-empty string/number. */
export function stringField(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
