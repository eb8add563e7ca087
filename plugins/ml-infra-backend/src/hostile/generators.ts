/**
 * Generators of the big hostile inputs. They are streamed (a few KB resident at a time), never
 * built as one string or Buffer, so the test measures the server's memory, not its own, and
 * nothing big is committed to the repository.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'fs';
import { Readable } from 'stream';
import { gzipSync } from 'zlib';

export const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A committed corpus file (all of them are small). */
export function corpus(name: string): Buffer {
  return readFileSync(
    resolvePackagePath(
      '@ml-infra-portal/plugin-ml-infra-backend',
      'src/hostile/corpus',
      name,
    ),
  );
}

/** `head`, then `fill` repeated up to `totalBytes`, then `tail`, in 64 KiB chunks. */
export function repeated(options: {
  head?: string;
  fill: string;
  totalBytes: number;
  tail?: string;
}): () => Readable {
  return () =>
    Readable.from(
      (function* generate() {
        const head = Buffer.from(options.head ?? '');
        const tail = Buffer.from(options.tail ?? '');
        yield head;
        const unit = Buffer.from(options.fill);
        const block = Buffer.alloc(
          Math.max(unit.length, CHUNK - (CHUNK % unit.length)),
        );
        for (let i = 0; i < block.length; i += unit.length) {
          unit.copy(block, i);
        }
        let left = options.totalBytes - head.length - tail.length;
        while (left > 0) {
          const n = Math.min(left, block.length);
          yield n === block.length ? block : block.subarray(0, n);
          left -= n;
        }
        yield tail;
      })(),
      { objectMode: false },
    );
}

/** A single `go test -json` line of `totalBytes` without a newline (an endless output event). */
export function singleHugeLine(totalBytes: number) {
  return repeated({
    head: '{"Action":"output","Package":"example.com/m/test","Test":"TestPlan","Output":"',
    fill: 'A',
    totalBytes,
  });
}

/** `[` `depth` times (optionally closed again): deeply nested JSON. */
export function deeplyNested(depth: number, closed: boolean, prefix = '') {
  return Buffer.from(
    `${prefix}${'['.repeat(depth)}${closed ? ']'.repeat(depth) : ''}${
      prefix ? '}' : ''
    }`,
  );
}

/** One `<testsuite>` element carrying `count` distinct attributes. */
export function hugeAttributeCount(count: number): Buffer {
  const attrs: string[] = [];
  for (let i = 0; i < count; i++) {
    attrs.push(`a${i}="${i}"`);
  }
  return Buffer.from(
    `<?xml version="1.0"?>\n<testsuites><testsuite name="s" ${attrs.join(
      ' ',
    )}><testcase name="TestA"/></testsuite></testsuites>\n`,
  );
}

/** A JUnit report with `cases` test cases (about 60 bytes each), generated 1,000 at a time. */
export function junitWithCases(cases: number): () => Readable {
  return () =>
    Readable.from(
      (function* generate() {
        yield Buffer.from(
          `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="example.com/m/test" tests="${cases}">\n`,
        );
        for (let i = 0; i < cases; i += 1000) {
          const lines: string[] = [];
          for (let j = i; j < Math.min(cases, i + 1000); j++) {
            lines.push(
              `<testcase classname="test" name="Test${j}" time="0.001"/>\n`,
            );
          }
          yield Buffer.from(lines.join(''));
        }
        yield Buffer.from('</testsuite>\n</testsuites>\n');
      })(),
      { objectMode: false },
    );
}

/**
 * A gzip bomb: `members` concatenated gzip members, each 64 MiB of zeros compressed to ~64 KB.
 * Deflate cannot do better than ~1:1000, so "a few KB expanding to GBs" needs nesting; a
 * multi-member stream (which gunzip, and body-parser's inflate, read through) is the flat
 * equivalent: ~2 MB on the wire, 2 GiB when inflated with members = 32.
 */
export function gzipBomb(members: number): { wire: Buffer; inflated: number } {
  const member = gzipSync(Buffer.alloc(64 * MiB), { level: 9 });
  return {
    wire: Buffer.concat(new Array(members).fill(member)),
    inflated: members * 64 * MiB,
  };
}
