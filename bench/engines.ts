/**
 * What the benchmarks share: throwaway local engines (in memory, on free
 * ports, stopped at the end), child processes that measure one thing each, and
 * the figures' formatting. Engine and AWS modules are imported only when
 * engines start, so a measuring child that imports this file does not load them.
 */
import { spawn } from 'node:child_process';

/** Throwaway local engines for one benchmark section; its measuring children inherit the environment. */
export async function startBenchEngines(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  return (await import('../infra/local/engines.ts')).startThrowawayEngines();
}

/**
 * Runs `script` in a child process (tsx loader, this process's environment, `nodeArgs` before
 * the script) with `args`, and returns what it prints last as JSON.
 */
export function runChild<T>(script: string, args: string[], nodeArgs: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`bench child ${args[0]} exited with ${code}: ${output.slice(-2000)}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`bench child ${args[0]} printed no result: ${output.slice(-2000)}`));
      }
    });
  });
}

export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** This process's peak RSS so far, in MiB (maxRSS is in KiB on Linux). */
export const peakRssMiB = () => mib(process.resourceUsage().maxRSS * 1024);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
