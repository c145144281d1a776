import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUNTIME_FILE, removeRuntime, writeRuntime } from '../../../../infra/local/runtimeFile.ts';

// A developer's running `npm start` keeps its record: put it back after each test.
let saved: string | undefined;
beforeEach(() => {
  saved = existsSync(RUNTIME_FILE) ? readFileSync(RUNTIME_FILE, 'utf8') : undefined;
  mkdirSync('.data', { recursive: true });
});
afterEach(() => {
  if (saved === undefined) rmSync(RUNTIME_FILE, { force: true });
  else writeFileSync(RUNTIME_FILE, saved);
});

describe('the local runtime record', () => {
  it('a stopping npm start removes its own record, never one a later npm start wrote and still runs', () => {
    writeRuntime({ apiUrl: 'http://127.0.0.1:1', env: {}, pid: process.pid + 1 });
    removeRuntime();
    expect(existsSync(RUNTIME_FILE)).toBe(true);
    writeRuntime({ apiUrl: 'http://127.0.0.1:1', env: {}, pid: process.pid });
    removeRuntime();
    expect(existsSync(RUNTIME_FILE)).toBe(false);
  });
});
