/** Where `npm start` records the endpoints it runs, for `npm run invoke` and the benchmarks. */
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';

/** SEATKEEPER_RUNTIME_FILE: elsewhere, for a throwaway `npm start` (the browser tests') that must not replace a developer's record. */
export const RUNTIME_FILE = process.env.SEATKEEPER_RUNTIME_FILE || '.data/runtime.json';

export interface LocalRuntime {
  apiUrl: string;
  env: Record<string, string>;
  pid: number;
}

export const writeRuntime = (runtime: LocalRuntime) => writeFileSync(RUNTIME_FILE, JSON.stringify(runtime, null, 2));
/** Removes the record if it is this process's: a second `npm start` may have written its own since, and still runs. */
export function removeRuntime(): void {
  try {
    if ((JSON.parse(readFileSync(RUNTIME_FILE, 'utf8')) as LocalRuntime).pid !== process.pid) return;
  } catch {
    // missing or unreadable: nothing of ours to keep
  }
  rmSync(RUNTIME_FILE, { force: true });
}

export function readRuntime(): LocalRuntime {
  if (!existsSync(RUNTIME_FILE)) throw new Error('The local runtime is not running. Start it first with: npm start');
  const runtime = JSON.parse(readFileSync(RUNTIME_FILE, 'utf8')) as LocalRuntime;
  try {
    process.kill(runtime.pid, 0);
  } catch {
    throw new Error('The local runtime is not running (stale .data/runtime.json). Start it first with: npm start');
  }
  return runtime;
}
