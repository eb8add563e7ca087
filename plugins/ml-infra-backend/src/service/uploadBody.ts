import { Readable, Transform, TransformCallback } from 'stream';
import { PayloadTooLargeError } from './errors';

function tooLarge(maxBytes: number) {
  return new PayloadTooLargeError(
    `Upload exceeds the limit of ${maxBytes} bytes (mlInfra.ingestion.maxBodyBytes)`,
  );
}

class ByteCounter extends Transform {
  total = 0;
  exceeded = false;

  constructor(private readonly maxBytes: number) {
    super();
  }

  _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ) {
    this.total += chunk.length;
    if (this.total > this.maxBytes) {
      this.exceeded = true;
      callback(tooLarge(this.maxBytes));
      return;
    }
    callback(null, chunk);
  }
}

/**
 * An upload body as the parsers read it: byte-counted while it streams, so memory stays bounded
 * and an oversized body fails with 413 as soon as it crosses the limit.
 */
export class UploadBody implements AsyncIterable<Buffer> {
  private readonly counter: ByteCounter;

  /**
   * The request is piped into a counting transform rather than iterated directly: a parser that
   * stops early destroys what it iterates, and destroying the request itself would cut the
   * connection before the error response is sent.
   */
  constructor(
    private readonly request: Readable,
    private readonly maxBytes: number,
  ) {
    this.counter = new ByteCounter(maxBytes);
    request.pipe(this.counter);
  }

  /** Fails fast on a declared Content-Length above the limit. */
  static checkDeclaredLength(
    contentLength: string | undefined,
    maxBytes: number,
  ) {
    if (
      contentLength &&
      /^\d+$/.test(contentLength) &&
      Number(contentLength) > maxBytes
    ) {
      throw tooLarge(maxBytes);
    }
  }

  get exceeded(): boolean {
    return this.counter.exceeded;
  }

  get bytesRead(): number {
    return this.counter.total;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this.counter[Symbol.asyncIterator]();
  }

  /** Discards what the parser did not read, so the client can still receive the response. */
  drain() {
    this.request.unpipe(this.counter);
    if (!this.request.readableEnded) {
      this.request.resume();
    }
  }

  /** The error to report: oversize wins over whatever the parser made of a cut-off body. */
  translate(error: unknown): unknown {
    return this.exceeded ? tooLarge(this.maxBytes) : error;
  }
}
