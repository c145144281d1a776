/**
 * SCIM list latency as users grow: one unfiltered page anywhere (a walk of
 * every user the token sees), every page in order (Okta's "Import users",
 * which reads on from the last page), a non-key filter and key lookups.
 */
import { randomUUID } from 'node:crypto';
import { startLocalApi } from '../infra/local/server.ts';
import { setAreaLimit } from '#core/license.ts';
import { createUsersInBulk } from '#core/bulk.ts';
import { issueScimToken } from '#core/scimTokens.ts';
import { ms, percentile } from './engines.ts';
import { countRequests } from './requestCount.ts';

const secret = new TextEncoder().encode('bench-secret-bench-secret-bench');

export async function scimBenchmarks(): Promise<string> {
  const api = await startLocalApi({ secret });
  const { secret: token } = await issueScimToken({ directory: 'okta-bench' });
  const headers = { authorization: `Bearer ${token}`, accept: 'application/scim+json' };
  const requests = countRequests();
  const lines = [
    '| users the directory sees | `GET /scim/v2/Users` | requests | total | p50 | p99 | DynamoDB requests per request |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  try {
    const area = `bench-scim-${randomUUID().slice(0, 8)}`;
    let users = 0;
    for (const target of [1_000, 20_000]) {
      await setAreaLimit(area, target);
      const rows = Array.from({ length: target - users }, (_, i) => ({
        email: `s${users + i}.${area}@example.com`,
        area,
        source: 'csv' as const,
        externalId: `ext-${users + i}`,
      }));
      for (let start = 0; start < rows.length; start += 2_000) await createUsersInBulk(rows.slice(start, start + 2_000), 'refuse');
      users = target;
      // [request, its query for the nth run, runs, totalResults]
      const cases: [string, (run: number) => string, number, number][] = [
        ['one page of 100 from the start', () => 'startIndex=1&count=100', 10, target],
        ['one page of 100 at the end', () => `startIndex=${target - 99}&count=100`, 10, target],
        // Okta's "Import users": every page in order; each page after the first reads on from where the last ended.
        ['every page of 100 in order', (run) => `startIndex=${run * 100 + 1}&count=100`, target / 100, target],
        ['`active eq true`, first 100', () => `filter=${encodeURIComponent('active eq true')}&count=100`, 10, target],
        ['`userName eq`', () => `filter=${encodeURIComponent(`userName eq "S7.${area}@EXAMPLE.COM"`)}`, 10, 1],
        ['`externalId eq`', () => `filter=${encodeURIComponent('externalId eq "ext-7"')}`, 10, 1],
      ];
      for (const [name, query, runs, expected] of cases) {
        const latencies: number[] = [];
        const ids = new Set<string>();
        requests.reset();
        const started = performance.now();
        for (let run = 0; run < runs; run++) {
          const requestStarted = performance.now();
          const response = await fetch(`${api.url}/scim/v2/Users?${query(run)}`, { headers });
          const body = (await response.json()) as { Resources: { id: string }[]; totalResults: number };
          latencies.push(performance.now() - requestStarted);
          if (response.status !== 200 || body.totalResults !== expected)
            throw new Error(`SCIM list ${query(run)} answered ${response.status} ${body.totalResults}`);
          for (const resource of body.Resources) ids.add(resource.id);
        }
        const seconds = (performance.now() - started) / 1000;
        if (runs > 10 && ids.size !== target) throw new Error(`the pages held ${ids.size} of ${target} users`);
        latencies.sort((a, b) => a - b);
        lines.push(
          `| ${target.toLocaleString('en')} | ${name} | ${runs} | ${seconds.toFixed(1)} s | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${(requests.total() / runs).toFixed(1)} |`,
        );
      }
    }
  } finally {
    requests.stop();
    await api.stop();
  }
  return lines.join('\n');
}
