/**
 * Text accumulator that keeps at most `capBytes`: the first half and the last half of what was
 * appended, joined by a `… N bytes truncated …` marker. Memory stays bounded however much
 * output a test prints.
 */
export class CappedOutput {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private totalBytes = 0;

  constructor(capBytes: number) {
    this.headCap = Math.floor(capBytes / 2);
    this.tailCap = capBytes - this.headCap;
  }

  get truncated(): boolean {
    return this.totalBytes > this.headCap + this.tailCap;
  }

  get isEmpty(): boolean {
    return this.totalBytes === 0;
  }

  append(text: string): void {
    let buf = Buffer.from(text, 'utf8');
    this.totalBytes += buf.length;
    if (this.headBytes < this.headCap) {
      const n = Math.min(this.headCap - this.headBytes, buf.length);
      this.head.push(buf.subarray(0, n));
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

  toString(): string {
    const head = Buffer.concat(this.head);
    if (!this.truncated) {
      return Buffer.concat([head, ...this.tail]).toString('utf8');
    }
    const tail = this.tailBuffer();
    const dropped = this.totalBytes - head.length - tail.length;
    return `${head.toString('utf8')}\n… ${dropped} bytes truncated …\n${tail.toString('utf8')}`;
  }

  private tailBuffer(): Buffer {
    const all = Buffer.concat(this.tail);
    return all.length > this.tailCap ? all.subarray(all.length - this.tailCap) : all;
  }
}
