/**
 * Seat engine through the local HTTP front door: creates per second at
 * concurrency 1, 16 and 64 with latency percentiles, and summary latency with
 * 100 and 20,000 users (it reads counters, so it must not grow with users).
 */
import { randomUUID } from 'node:crypto';
import { startLocalApi } from '../infra/local/server.ts';
import { signLocalToken } from '../infra/local/localAuth.ts';
import { setAreaLimit } from '#core/license.ts';
import { createUsersInBulk } from '#core/bulk.ts';
import { countRequests } from './requestCount.ts';
import { ms, percentile } from './engines.ts';

const secret = new TextEncoder().encode('bench-secret-bench-secret-bench');

async function timed(call: () => Promise<Response>): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await call();
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

export async function apiBenchmarks(): Promise<string> {
  const api = await startLocalApi({ secret });
  const token = await signLocalToken(secret, ['people-admin', 'license-admin']);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const lines: string[] = [];
  try {
    lines.push('The load generator runs in the same process as the handlers.', '', '### Creates (`POST /users`)', '');
    lines.push('| concurrency | requests | creates/s | p50 | p99 | DynamoDB requests per create |', '|---:|---:|---:|---:|---:|---:|');
    for (const [concurrency, total] of [
      [1, 300],
      [16, 2000],
      [64, 4000],
    ] as const) {
      const area = `bench-${randomUUID().slice(0, 8)}`;
      await setAreaLimit(area, total);
      let next = 0;
      const latencies: number[] = [];
      const counter = countRequests();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            const i = next++;
            const body = JSON.stringify({ email: `b${i}.${area}@example.com`, area });
            const result = await timed(() => fetch(`${api.url}/users`, { method: 'POST', headers, body }));
            if (result.status !== 201) throw new Error(`create answered ${result.status}`);
            latencies.push(result.ms);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      counter.stop();
      latencies.sort((a, b) => a - b);
      lines.push(
        `| ${concurrency} | ${total} | ${(total / seconds).toFixed(0)} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${(counter.total() / total).toFixed(2)} |`,
      );
    }

    lines.push('', '### `GET /summary` latency as users grow', '');
    lines.push('| users in the table (this area) | requests | p50 | p99 | DynamoDB requests per summary |', '|---:|---:|---:|---:|---:|');
    const area = `bench-sum-${randomUUID().slice(0, 8)}`;
    await setAreaLimit(area, 20_000);
    let users = 0;
    for (const target of [100, 20_000]) {
      const rows = Array.from({ length: target - users }, (_, i) => ({
        email: `s${users + i}.${area}@example.com`,
        area,
        source: 'csv' as const,
      }));
      for (let start = 0; start < rows.length; start += 2_000) await createUsersInBulk(rows.slice(start, start + 2_000), 'refuse');
      users = target;
      const latencies: number[] = [];
      const counter = countRequests();
      for (let i = 0; i < 200; i++) latencies.push((await timed(() => fetch(`${api.url}/summary`, { headers }))).ms);
      counter.stop();
      latencies.sort((a, b) => a - b);
      lines.push(
        `| ${target.toLocaleString('en')} | 200 | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${(counter.total() / 200).toFixed(2)} |`,
      );
    }
  } finally {
    await api.stop();
  }
  return lines.join('\n');
}
