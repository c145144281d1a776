/**
 * `npm start` serves the built console (web/dist). It builds it first when the build is missing
 * or older than its sources (Vite takes a few seconds), so a clean clone needs no extra step
 * and an edited page shows on the next start.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../web');
export const CONSOLE_DIST = join(WEB_ROOT, 'dist');
const BUILT_MARK = join(CONSOLE_DIST, 'index.html');

/** What the build is made of: the app, its build settings, and the installed dependencies. */
const SOURCES = [
  join(WEB_ROOT, 'src'),
  join(WEB_ROOT, 'public'),
  join(WEB_ROOT, 'index.html'),
  join(WEB_ROOT, 'vite.config.ts'),
  join(WEB_ROOT, '../package-lock.json'),
];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

export function consoleBuildIsCurrent(): boolean {
  return existsSync(BUILT_MARK) && statSync(BUILT_MARK).mtimeMs >= Math.max(...SOURCES.map(newestChange));
}

/** Builds web/ into `outDir` with Vite (web/vite.config.ts). */
export async function buildConsole(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), build: { outDir }, logLevel: 'warn' });
}

/**
 * Builds the console unless web/dist is current. It builds beside web/dist and then swaps the
 * folders, so another `npm start` serving web/dist meanwhile never sees half a build.
 */
export async function ensureConsoleBuilt(): Promise<'current' | 'built'> {
  if (consoleBuildIsCurrent()) return 'current';
  const staging = `${CONSOLE_DIST}.${process.pid}`;
  try {
    await buildConsole(staging);
    rmSync(CONSOLE_DIST, { recursive: true, force: true });
    renameSync(staging, CONSOLE_DIST);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return 'built';
}
