import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';

/** A fixture of this folder as an upload stream. */
export function fixture(name: string) {
  return fs.createReadStream(
    resolvePackagePath(
      '@ml-infra-portal/plugin-ml-infra-backend',
      'src/parsers/__fixtures__',
      name,
    ),
  );
}

/** Text (or bytes) as an upload split into chunks of `size` bytes, to cross chunk boundaries. */
export async function* chunked(
  content: string | Buffer,
  size = 7,
): AsyncGenerator<Buffer> {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  for (let i = 0; i < buf.length; i += size) {
    yield buf.subarray(i, i + size);
  }
}

/** `count` copies of `piece`, generated lazily: large uploads without holding them in memory. */
export async function* repeated(
  prefix: string,
  piece: string,
  count: number,
  suffix = '',
): AsyncGenerator<string> {
  yield prefix;
  for (let i = 0; i < count; i++) {
    yield piece;
  }
  yield suffix;
}
