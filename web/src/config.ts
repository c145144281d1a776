import type { ConsoleConfig } from './consoleConfig.ts';

/** Reads /config.json, which says where the API is and how to sign in. */
export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
