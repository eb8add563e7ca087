/*
 * Test harness for running real backend replicas: child processes of packages/backend/src/index.ts
 * (through the Backstage CLI's Node transform, as `backstage-cli package start` runs it), a
 * loopback HTTP client that records what each request was told, and a PostgreSQL client.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** The repository root: this test only runs from source, in the repository. */
export const REPO_ROOT = path.resolve(
  path.dirname(require.resolve('backend/package.json')),
  '../..',
);

/** The parts of `pg` the test uses (the package ships no types and @types/pg is not installed). */
export interface PgClient {
  connect(): Promise<void>;
  query<R = Record<string, any>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
  end(): Promise<void>;
}

export function pgClient(connectionString: string): PgClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as {
    Client: new (options: { connectionString: string }) => PgClient;
  };
  return new pg.Client({ connectionString });
}

export function withDatabase(connectionString: string, database: string) {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface ReplicaOptions {
  name: string;
  port: number;
  env: Record<string, string>;
  configFiles: string[];
  logFile: string;
}

/** One backend process; `start` may be called again after `kill`. */
export class Replica {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  // No keep-alive: a pooled socket closed by the server as it is reused would fail a request
  // on the healthy replica for reasons that have nothing to do with the backend.
  readonly agent = new http.Agent({ keepAlive: false, maxSockets: 64 });

  constructor(readonly options: ReplicaOptions) {}

  get port() {
    return this.options.port;
  }

  get pid() {
    return this.child?.pid;
  }

  start() {
    const { env, configFiles, logFile, port } = this.options;
    const log = fs.openSync(logFile, 'a');
    fs.writeSync(log, `\n=== start ${new Date().toISOString()} ===\n`);
    const args = [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'packages/backend/src/index.ts',
      ...configFiles.flatMap(file => ['--config', file]),
    ];
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...env,
        NODE_ENV: 'production',
        BACKEND_PORT: String(port),
        BACKEND_BASE_URL: `http://127.0.0.1:${port}`,
        APP_BASE_URL: `http://127.0.0.1:${port}`,
        NODE_OPTIONS: '--max-old-space-size=1536',
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise(resolve => child.once('exit', () => resolve()));
  }

  get running() {
    return Boolean(
      this.child && this.child.exitCode === null && !this.child.signalCode,
    );
  }

  /** SIGKILL: no graceful shutdown, in-flight requests and transactions are cut. */
  async kill(signal: NodeJS.Signals = 'SIGKILL') {
    if (this.child && this.running) {
      this.child.kill(signal);
      await Promise.race([
        this.exited,
        new Promise(resolve => setTimeout(resolve, 10_000)),
      ]);
    }
  }

  /** Polls until `check` passes, failing early when the process exits. */
  async waitFor(
    what: string,
    check: () => Promise<boolean>,
    timeoutMs: number,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) {
        throw new Error(
          `${
            this.options.name
          } exited while waiting for ${what}; log tail:\n${this.logTail()}`,
        );
      }
      try {
        if (await check()) {
          return;
        }
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${
            this.options.name
          }: timed out waiting for ${what}; log tail:\n${this.logTail()}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }

  logTail(lines = 40) {
    try {
      return fs
        .readFileSync(this.options.logFile, 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  logLines(): string[] {
    return fs.readFileSync(this.options.logFile, 'utf8').split('\n');
  }
}

export interface HttpOutcome {
  status?: number;
  /** Connection-level failure: ECONNREFUSED, ECONNRESET, timeout … */
  error?: string;
  body?: string;
  startedAt: number;
  endedAt: number;
}

/** One HTTP request on loopback; never throws, reports what the client was told. */
export function request(
  replica: Replica,
  method: string,
  urlPath: string,
  options: {
    token?: string;
    contentType?: string;
    body?: Buffer | string;
    timeoutMs?: number;
  } = {},
): Promise<HttpOutcome> {
  const startedAt = Date.now();
  return new Promise(resolve => {
    let settled = false;
    const finish = (outcome: Omit<HttpOutcome, 'startedAt' | 'endedAt'>) => {
      if (!settled) {
        settled = true;
        resolve({ ...outcome, startedAt, endedAt: Date.now() });
      }
    };
    const body =
      options.body === undefined ? undefined : Buffer.from(options.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port: replica.port,
        method,
        path: urlPath,
        agent: replica.agent,
        headers: {
          ...(options.token
            ? { authorization: `Bearer ${options.token}` }
            : {}),
          ...(options.contentType
            ? { 'content-type': options.contentType }
            : {}),
          ...(body ? { 'content-length': String(body.length) } : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          finish({
            status: res.statusCode,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', error =>
          finish({ error: (error as NodeJS.ErrnoException).code ?? 'ERROR' }),
        );
      },
    );
    req.setTimeout(options.timeoutMs ?? 60_000, () => {
      req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
    });
    req.on('error', error =>
      finish({
        error:
          (error as NodeJS.ErrnoException).code ??
          String(error.message ?? error),
      }),
    );
    req.end(body);
  });
}
