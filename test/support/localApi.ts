/** The local HTTP front door for a test file, plus a fetch that carries a token for the given groups. */
import { afterAll, beforeAll } from 'vitest';
import { startLocalApi, type LocalApi } from '../../infra/local/server.ts';
import { localSecret, signLocalToken } from '../../infra/local/localAuth.ts';

export interface ApiClient {
  (
    method: string,
    path: string,
    options?: { body?: unknown; groups?: string[]; token?: string | null; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    body: any;
    headers: Headers;
  }>;
}

export function useLocalApi(): ApiClient {
  let api: LocalApi;
  beforeAll(async () => {
    api = await startLocalApi({ secret: localSecret() });
  });
  afterAll(() => api.stop());

  return async (method, path, options = {}) => {
    const token = options.token === undefined ? await signLocalToken(localSecret(), options.groups ?? ['people-admin']) : options.token;
    const headers: Record<string, string> = { ...options.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${api.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}
