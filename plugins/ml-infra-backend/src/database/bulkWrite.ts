import { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';

/**
 * Bound values per multi-row insert of the run write path: under SQLite's variable limit
 * (32766 since SQLite 3.32, which better-sqlite3 bundles) and PostgreSQL's 65535 parameters.
 */
const MAX_INSERT_BINDINGS = 30000;

/**
 * Inserts `count` rows of `columns` as multi-row `INSERT … VALUES (…), (…)` statements with
 * as many rows as the engine's bound-variable limit allows. knex's own multi-row insert is
 * avoided on this hot path: on SQLite it compiles to `SELECT … UNION ALL SELECT …`, capped at
 * 500 rows by SQLite's compound-SELECT limit, and it builds the SQL from row objects each
 * time. Here the SQL text of a full batch is built once and `row(i, out)` appends row i's
 * values to the flat binding array (no undefined values: they would fail the binding).
 * PostgreSQL takes the same rows through {@link copyRows}, several times faster.
 */
export async function insertRows<T>(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: T[] | AsyncIterable<T>,
  row: (item: T, out: unknown[]) => void,
) {
  if (Array.isArray(rows) && rows.length === 0) {
    return;
  }
  if (isPostgres(trx)) {
    await copyRows(trx, table, columns, rows, row);
    return;
  }
  const perBatch = Math.max(
    1,
    Math.floor(MAX_INSERT_BINDINGS / columns.length),
  );
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO "${table}" (${columns
    .map(c => `"${c}"`)
    .join(', ')}) VALUES `;
  let fullSql: string | undefined;
  let bindings: unknown[] = [];
  let inBatch = 0;
  const send = async () => {
    let sql: string;
    if (inBatch === perBatch) {
      fullSql ??= head + new Array(perBatch).fill(tuple).join(', ');
      sql = fullSql;
    } else {
      sql = head + new Array(inBatch).fill(tuple).join(', ');
    }
    await trx.raw(sql, bindings as Knex.RawBinding[]);
    bindings = [];
    inBatch = 0;
  };
  for await (const item of rows) {
    row(item, bindings);
    inBatch += 1;
    if (inBatch === perBatch) {
      await send();
    }
  }
  if (inBatch > 0) {
    await send();
  }
}

const COPY_CHUNK_CHARS = 256 * 1024;
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/**
 * PostgreSQL's fastest bulk path: `COPY … FROM STDIN` (text format) on the transaction's own
 * connection, so the rows commit or roll back with the run. The rows are encoded in chunks of
 * about {@link COPY_CHUNK_CHARS} as the server takes them, never all at once. Measured with
 * `yarn bench`, against multi-row `INSERT … VALUES` batches of the same rows.
 */
async function copyRows<T>(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: T[] | AsyncIterable<T>,
  row: (item: T, out: unknown[]) => void,
) {
  const sql = `COPY "${table}" (${columns
    .map(c => `"${c}"`)
    .join(', ')}) FROM STDIN`;
  async function* copyText() {
    const values: unknown[] = [];
    let text = '';
    for await (const item of rows) {
      values.length = 0;
      row(item, values);
      for (let v = 0; v < values.length; v++) {
        text += (v === 0 ? '' : '\t') + copyValue(values[v]);
      }
      text += '\n';
      if (text.length >= COPY_CHUNK_CHARS) {
        yield text;
        text = '';
      }
    }
    if (text.length > 0) {
      yield text;
    }
  }
  // Inside a transaction knex hands out the transaction's connection (and never releases it).
  const connection = await (
    trx.client as { acquireConnection(): Promise<PgConnection> }
  ).acquireConnection();
  await pipeline(
    // Two chunks ahead at most: the rows are encoded as fast as the server takes them.
    Readable.from(copyText(), { highWaterMark: 2 }),
    connection.query(copyFrom(sql)),
  );
}

/** The part of a `pg` client connection COPY needs. */
interface PgConnection {
  query<T>(submittable: T): T;
}

/** One value in COPY's text format: `\N` for null, backslash escapes for the delimiters. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) {
    return '\\N';
  }
  if (typeof value === 'boolean') {
    return value ? 't' : 'f';
  }
  const text = String(value);
  return COPY_SPECIAL.test(text)
    ? text.replace(COPY_SPECIAL_ALL, c => COPY_ESCAPES[c])
    : text;
}

export function isPostgres(knex: Knex): boolean {
  const client = String(knex.client.config.client);
  return client.includes('pg') || client.includes('postgres');
}
