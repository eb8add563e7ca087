import { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';

/**
 * Rows per multi-row `INSERT` on SQLite: measured with better-sqlite3 on a test_cases-shaped
 * table, 100-500 rows per statement insert fastest (bigger statements bind more slowly); and
 * well under SQLite's bound-variable limit (32766) for any table here.
 */
const SQLITE_ROWS_PER_INSERT = 256;

/**
 * Inserts rows of `columns` in one go: on PostgreSQL with {@link copyRows}, on SQLite with
 * multi-row `INSERT … VALUES (…), (…)` statements run on the transaction's own better-sqlite3
 * connection, each statement prepared once per call. knex's query path is avoided on this hot
 * path: it prepares the statement again for every batch and rewrites every `?` of its SQL
 * (several times the cost of the insert itself for 100,000 rows), and its multi-row insert
 * compiles to `SELECT … UNION ALL SELECT …`, capped at 500 rows. `row(item, out)` appends the
 * item's values to `out` (no undefined values: they would fail the binding; booleans and dates
 * are converted as knex does). A streamed source hands over rows in batches: one await per batch,
 * not one per row.
 */
export async function insertRows<T>(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  source: T[] | AsyncIterable<T[]>,
  row: (item: T, out: unknown[]) => void,
) {
  if (Array.isArray(source) && source.length === 0) {
    return;
  }
  const batches = Array.isArray(source) ? [source] : source;
  if (isPostgres(trx)) {
    await copyRows(trx, table, columns, batches, row);
    return;
  }
  // Inside a transaction knex hands out the transaction's connection (and never releases it).
  const connection = (await (
    trx.client as { acquireConnection(): Promise<unknown> }
  ).acquireConnection()) as Partial<SqliteConnection>;
  const run: (sql: string, values: unknown[]) => Promise<void> | void =
    typeof connection.prepare === 'function'
      ? preparedRunner(connection as SqliteConnection)
      : async (sql, values) => {
          await trx.raw(sql, values as Knex.RawBinding[]);
        };
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO "${table}" (${columns
    .map(c => `"${c}"`)
    .join(', ')}) VALUES `;
  const sqlFor = (n: number) => head + new Array(n).fill(tuple).join(', ');
  const fullSql = sqlFor(SQLITE_ROWS_PER_INSERT);
  let values: unknown[] = [];
  let inBatch = 0;
  for await (const rows of batches) {
    for (const item of rows) {
      row(item, values);
      inBatch += 1;
      if (inBatch === SQLITE_ROWS_PER_INSERT) {
        await run(fullSql, values);
        values = [];
        inBatch = 0;
      }
    }
  }
  if (inBatch > 0) {
    await run(sqlFor(inBatch), values);
  }
}

/** The part of a better-sqlite3 connection the insert needs. */
interface SqliteConnection {
  prepare(sql: string): { run(values: unknown[]): unknown };
}

/** Runs statements on a better-sqlite3 connection, each SQL text prepared once. */
function preparedRunner(connection: SqliteConnection) {
  const statements = new Map<string, { run(values: unknown[]): unknown }>();
  return (sql: string, values: unknown[]) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      statements.set(sql, statement);
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'boolean') {
        values[i] = v ? 1 : 0;
      } else if (v instanceof Date) {
        values[i] = v.valueOf();
      }
    }
    statement.run(values);
  };
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
  batches: Iterable<T[]> | AsyncIterable<T[]>,
  row: (item: T, out: unknown[]) => void,
) {
  const sql = `COPY "${table}" (${columns
    .map(c => `"${c}"`)
    .join(', ')}) FROM STDIN`;
  async function* copyText() {
    const values: unknown[] = [];
    let text = '';
    for await (const rows of batches) {
      for (const item of rows) {
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
