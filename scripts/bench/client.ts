/**
 * Loopback client of the benchmark: the generated typed client of the ML Infra API
 * (createMlInfraApiClient, the one every caller uses), timed per call; streamed uploads with RSS
 * sampling of the server process, read latency sampling and the sustained-load workers. Every
 * request goes to 127.0.0.1 only.
 */
import { ResponseError } from '@backstage/errors';
import {
  createMlInfraApiClient,
  type MlInfraApiClient,
} from '@ml-infra-portal/plugin-ml-infra-common';
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';

export const HOST = '127.0.0.1';

export interface Reply {
  status: number;
  /** The answer as JSON text, or the server's error message. */
  body: string;
  ms: number;
}

/** A call of the typed client, as a phase sends it. */
export type ApiCall = (
  api: MlInfraApiClient,
) => Promise<{ data?: unknown; response: Response }>;

/** The typed client of the API on the bench server's loopback port. */
export function apiClient(port: number): MlInfraApiClient {
  return createMlInfraApiClient({
    baseUrl: `http://${HOST}:${port}/api/ml-infra`,
  });
}

/** Sends one call and times it; an answer that is not 2xx is a reply with its status. */
export async function send(
  api: MlInfraApiClient,
  call: ApiCall,
): Promise<Reply> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  try {
    const { data, response } = await call(api);
    const ms = elapsed();
    return { status: response.status, body: JSON.stringify(data) ?? '', ms };
  } catch (error) {
    if (error instanceof ResponseError) {
      return {
        status: error.response.status,
        body: error.message,
        ms: elapsed(),
      };
    }
    throw error;
  }
}

/**
 * The request options of an upload read from disk as it is sent, with its Content-Length:
 * the body is never held in memory. (The spec types ingest bodies as text.)
 */
export function fileUpload(file: string, contentType: string) {
  return {
    // fetch reads a Node stream as an async iterable; 1 MB chunks keep the per-chunk cost low.
    body: fs.createReadStream(file, {
      highWaterMark: 1 << 20,
    }) as unknown as string,
    bodySerializer: (body: string) => body,
    duplex: 'half' as const,
    headers: {
      'Content-Type': contentType,
      'Content-Length': String(fs.statSync(file).size),
    },
  };
}

/**
 * Streams `file` through the typed client `times` times to a loopback server in this process
 * that discards the body: the driver's fetch upload path is JIT-compiled before the timed
 * uploads. Cold, it sends the first 100 MB upload at a fraction of its warm speed (measured
 * 40 MB/s cold, 200-600 MB/s warm, on 2 cores), so the first timed upload would measure the
 * client's warm-up rather than the backend. The backend under test gets no warm-up.
 */
export async function warmUploadPath(
  file: string,
  contentType: string,
  times = 3,
): Promise<void> {
  const sink = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>(resolve => sink.listen(0, HOST, resolve));
  try {
    const api = apiClient((sink.address() as AddressInfo).port);
    for (let i = 0; i < times; i++) {
      await send(api, a =>
        a.POST('/ingest/tests', {
          params: {
            query: {
              entityRef: 'component:default/warm-up',
              provider: 'bench',
              runId: 'warm-up',
              attempt: 1,
            },
          },
          ...fileUpload(file, contentType),
        }),
      );
    }
  } finally {
    await new Promise(resolve => sink.close(resolve));
  }
}

/** RSS of a process from /proc, in bytes: current and high-water mark. */
export function procMemory(pid: number): { rss: number; hwm: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets VmHWM so it tracks the peak from now on (Linux `clear_refs` 5); false if unsupported. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples the server's RSS every `intervalMs` until stopped; returns the peak seen. */
export function rssSampler(pid: number, intervalMs = 20) {
  let peak = 0;
  let samples = 0;
  const sample = () => {
    try {
      const { rss } = procMemory(pid);
      samples += 1;
      if (rss > peak) peak = rss;
    } catch {
      // process gone
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peak, samples };
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface LatencyStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  bytes: number;
}

export function stats(ms: number[], errors = 0, bytes = 0): LatencyStats {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    errors,
    bytes,
  };
}

/** Sequential GETs (one client, keep-alive), after `warmup` untimed requests. */
export async function measureGets(
  port: number,
  next: () => ApiCall,
  samples: number,
  warmup: number,
  deadlineMs: number,
): Promise<LatencyStats> {
  const api = apiClient(port);
  for (let i = 0; i < warmup; i++) {
    await send(api, next());
  }
  const times: number[] = [];
  let errors = 0;
  let bytes = 0;
  const stopAt = Date.now() + deadlineMs;
  for (let i = 0; i < samples && (i < 5 || Date.now() < stopAt); i++) {
    const reply = await send(api, next());
    if (reply.status !== 200) {
      errors += 1;
      if (errors === 1) {
        // eslint-disable-next-line no-console
        console.error(
          `  GET answered ${reply.status}: ${reply.body.slice(0, 300)}`,
        );
      }
    }
    bytes = Math.max(bytes, reply.body.length);
    times.push(reply.ms);
  }
  return stats(times, errors, bytes);
}

/** One request of the sustained load: what kind it is and the call that sends it. */
export interface LoadRequest {
  kind: string;
  call: ApiCall;
}

export interface KindResult {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  latency: LatencyStats;
}

export interface LoadResult {
  clients: number;
  /** Backend processes the clients were spread over (one port each). */
  replicas: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  byStatus: Record<string, number>;
  byKind: Record<string, KindResult>;
  latency: LatencyStats;
  firstErrors: string[];
}

/**
 * `clients` workers, each sending the next request as soon as the previous one answered, until
 * `durationMs` is over. With several ports (replicas of the backend), worker i talks to port
 * i mod n, as a load balancer spreading connections would.
 */
export async function sustainedLoad(
  ports: number | number[],
  clients: number,
  durationMs: number,
  next: () => LoadRequest,
): Promise<LoadResult> {
  const targets = Array.isArray(ports) ? ports : [ports];
  const clientsByPort = new Map(targets.map(port => [port, apiClient(port)]));
  const times: number[] = [];
  const byStatus: Record<string, number> = {};
  const byKind: Record<
    string,
    { requests: number; errors: number; times: number[] }
  > = {};
  const firstErrors: string[] = [];
  let errors = 0;
  const started = Date.now();
  const stopAt = started + durationMs;
  const worker = async (index: number) => {
    const api = clientsByPort.get(targets[index % targets.length])!;
    while (Date.now() < stopAt) {
      const req = next();
      const kind = (byKind[req.kind] ??= {
        requests: 0,
        errors: 0,
        times: [],
      });
      kind.requests += 1;
      try {
        const reply = await send(api, req.call);
        byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
        times.push(reply.ms);
        kind.times.push(reply.ms);
        if (reply.status >= 300) {
          errors += 1;
          kind.errors += 1;
          if (firstErrors.length < 5) {
            firstErrors.push(
              `${req.kind} ${reply.status}: ${reply.body.slice(0, 200)}`,
            );
          }
        }
      } catch (error) {
        errors += 1;
        kind.errors += 1;
        byStatus.network = (byStatus.network ?? 0) + 1;
        if (firstErrors.length < 5) firstErrors.push(`${req.kind}: ${error}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => worker(i)));
  const seconds = (Date.now() - started) / 1000;
  return {
    clients,
    replicas: targets.length,
    seconds,
    requests: times.length + (byStatus.network ?? 0),
    requestsPerSecond: (times.length + (byStatus.network ?? 0)) / seconds,
    errors,
    byStatus,
    byKind: Object.fromEntries(
      Object.entries(byKind).map(([name, k]) => [
        name,
        {
          requests: k.requests,
          errors: k.errors,
          requestsPerSecond: k.requests / seconds,
          latency: stats(k.times),
        },
      ]),
    ),
    latency: stats(times),
    firstErrors,
  };
}
