/**
 * Text accumulator that keeps at most `capBytes`: the first half and the last half of what was
 * appended, joined by a `… N bytes truncated …` marker. Memory stays bounded however much
 * output a test prints.
 *
 * Appending is cheap: text is first gathered as a string (at most about `capBytes` characters)
 * and only encoded to UTF-8 and capped when that grows past the cap or the result is read. The
 * result depends only on the concatenation of what was appended, so deferring changes nothing;
 * most outputs (a passing test's log, dropped unread) are never encoded at all.
 */
export class CappedOutput {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private totalBytes = 0;
  /** Text appended but not yet encoded and capped. */
  private pending = '';
  private lastCode = 0;
  private readonly pendingCap: number;

  constructor(capBytes: number) {
    this.headCap = Math.floor(capBytes / 2);
    this.tailCap = capBytes - this.headCap;
    this.pendingCap = Math.max(capBytes, 1024);
  }

  get truncated(): boolean {
    this.flush();
    return this.totalBytes > this.headCap + this.tailCap;
  }

  get isEmpty(): boolean {
    return this.totalBytes === 0 && this.pending.length === 0;
  }

  append(text: string): void {
    if (text.length === 0) {
      return;
    }
    const pending = this.pending;
    if (pending.length === 0) {
      this.pending = text;
    } else {
      // Lone surrogates are encoded one append at a time (as U+FFFD); never pair them up
      // across two appends by joining the strings. (The last code unit is remembered: reading
      // it from the joined string would flatten it on every append.)
      const first = text.charCodeAt(0);
      if (
        this.lastCode >= 0xd800 &&
        this.lastCode <= 0xdbff &&
        first >= 0xdc00 &&
        first <= 0xdfff
      ) {
        this.flush();
        this.pending = text;
      } else {
        this.pending = pending + text;
      }
    }
    this.lastCode = text.charCodeAt(text.length - 1);
    if (this.pending.length > this.pendingCap) {
      this.flush();
    }
  }

  toString(): string {
    this.flush();
    return this.render();
  }

  private flush(): void {
    if (this.pending.length === 0) {
      return;
    }
    const text = this.pending;
    this.pending = '';
    this.appendBytes(Buffer.from(text, 'utf8'));
  }

  private appendBytes(bytes: Buffer): void {
    let buf = bytes;
    this.totalBytes += buf.length;
    if (this.headBytes < this.headCap) {
      const n = Math.min(this.headCap - this.headBytes, buf.length);
      // Copy when only part of the buffer is kept, so the rest is not retained.
      this.head.push(n < buf.length ? Buffer.from(buf.subarray(0, n)) : buf);
      this.headBytes += n;
      buf = buf.subarray(n);
    }
    if (!buf.length || this.tailCap === 0) {
      return;
    }
    if (buf.length > this.tailCap) {
      buf = Buffer.from(buf.subarray(buf.length - this.tailCap));
    }
    this.tail.push(buf);
    this.tailBytes += buf.length;
    if (this.tailBytes > 2 * this.tailCap) {
      this.tail = [this.tailBuffer()];
      this.tailBytes = this.tail[0].length;
    }
  }

  private render(): string {
    const head = Buffer.concat(this.head);
    if (!this.truncated) {
      return Buffer.concat([head, ...this.tail]).toString('utf8');
    }
    const tail = this.tailBuffer();
    const dropped = this.totalBytes - head.length - tail.length;
    return `${head.toString(
      'utf8',
    )}\n… ${dropped} bytes truncated …\n${tail.toString('utf8')}`;
  }

  private tailBuffer(): Buffer {
    const all = Buffer.concat(this.tail);
    return all.length > this.tailCap
      ? all.subarray(all.length - this.tailCap)
      : all;
  }
}
