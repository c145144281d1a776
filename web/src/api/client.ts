/**
 * The console's one way to the API: a function per route, typed with ./types.ts. Phase 2 swaps
 * the body of `request` for the client generated from the OpenAPI document (openapi-fetch); the
 * functions' names and shapes stay, so the pages do not change.
 */
import type {
  ActivationResult,
  ApiErrorBody,
  CreateImportBody,
  CreateUserBody,
  ExportQuery,
  ImportJob,
  ImportUpload,
  IssuedScimToken,
  LicenseArea,
  ListUsersQuery,
  Page,
  PeopleExport,
  PutAreaLimitResult,
  ScimToken,
  Summary,
  TransferBody,
  UpdateUserBody,
  User,
  WaitingEntry,
} from './types.ts';

/** An error answer of the API (or no answer at all: status 0, code NETWORK_ERROR). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiSettings {
  /** The API's base URL without a trailing slash; '' when the console is served by the API's origin (locally). */
  baseUrl: string;
  /** The bearer token to send now (refreshed by the session when needed), or undefined when signed out. */
  token: () => Promise<string | undefined>;
  /** Called on a 401: the token was refused (expired, revoked). */
  onUnauthorized: () => void;
}

let settings: ApiSettings | undefined;

export function configureApi(next: ApiSettings): void {
  settings = next;
}

type Query = Record<string, string | number | undefined>;

function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  if (!settings) throw new Error('configureApi() was not called');
  const token = await settings.token();
  // Signed out (or the session just expired): nothing to ask the API.
  if (!token) throw new ApiError(401, 'UNAUTHORIZED', 'You are signed out.');
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${settings.baseUrl}${path}${queryString(options.query)}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The API could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  const body: unknown = text ? safeJson(text) : undefined;
  if (response.ok) return body as T;
  if (response.status === 401) settings.onUnauthorized();
  const error = (body as ApiErrorBody | undefined)?.error;
  throw new ApiError(
    response.status,
    error?.code ?? (response.status === 401 ? 'UNAUTHORIZED' : `HTTP_${response.status}`),
    error?.message ?? (body as { message?: string } | undefined)?.message ?? `The API answered ${response.status}.`,
    error?.details ?? {},
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

const path = (strings: TemplateStringsArray, ...values: string[]) =>
  strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(values[i]!) : ''), '');

/** A fresh Idempotency-Key: a retry of the same click (lost answer) never creates or moves twice. */
export const idempotencyKey = () => crypto.randomUUID();

export const api = {
  summary: () => request<Summary>('GET', '/summary'),
  license: () => request<{ areas: LicenseArea[] }>('GET', '/license'),

  listUsers: (query: ListUsersQuery) => request<Page<User>>('GET', '/users', { query: { ...query } }),
  createUser: (body: CreateUserBody, key: string) =>
    request<{ user: User }>('POST', '/users', { body, headers: { 'idempotency-key': key } }),
  updateUser: (id: string, body: UpdateUserBody) => request<{ user: User }>('PATCH', path`/users/${id}`, { body }),
  blockUser: (id: string) => request<{ user: User }>('POST', path`/users/${id}/block`),
  unblockUser: (id: string) => request<{ user: User }>('POST', path`/users/${id}/unblock`),
  deleteUser: (id: string) => request<void>('DELETE', path`/users/${id}`),

  exportPeople: (query: ExportQuery) => request<PeopleExport>('GET', '/export', { query: { ...query } }),

  createImport: (body: CreateImportBody) => request<ImportUpload>('POST', '/imports', { body }),
  listImports: (query: { limit?: number; cursor?: string }) => request<Page<ImportJob>>('GET', '/imports', { query }),
  getImport: (id: string) => request<{ job: ImportJob }>('GET', path`/imports/${id}`),
  retryImport: (id: string) => request<{ job: ImportJob }>('POST', path`/imports/${id}/retry`),

  listPending: (query: { area?: string; limit?: number; cursor?: string }) => request<Page<WaitingEntry>>('GET', '/pending', { query }),
  activatePending: (area?: string) => request<ActivationResult>('POST', '/pending/activate', { body: area ? { area } : {} }),

  putAreaLimit: (area: string, limit: number) => request<PutAreaLimitResult>('PUT', path`/license/areas/${area}`, { body: { limit } }),
  transferSeats: (body: TransferBody, key: string) =>
    request<{ areas: LicenseArea[] }>('POST', '/license/transfers', { body, headers: { 'idempotency-key': key } }),

  createScimToken: (body: { directory: string; description?: string }) => request<IssuedScimToken>('POST', '/scim-tokens', { body }),
  listScimTokens: () => request<{ items: ScimToken[] }>('GET', '/scim-tokens'),
  deleteScimToken: (id: string) => request<void>('DELETE', path`/scim-tokens/${id}`),
};

/** The API's base URL as the console calls it (for the SCIM base URL shown to directory admins). */
export const apiBaseUrl = () => (settings?.baseUrl || window.location.origin).replace(/\/$/, '');
