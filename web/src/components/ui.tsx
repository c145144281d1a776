/**
 * The console's buttons and feedback: react-aria-components (keyboard, focus, press) with the
 * console's styles. Form fields and dialogs are in ./fields.tsx, which only later pages load.
 */
import type { ReactNode } from 'react';
import { Button as AriaButton, type ButtonProps } from 'react-aria-components';
import { ApiError } from '../api/client.ts';

export function Button({
  variant = 'secondary',
  className,
  ...props
}: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' | 'quiet' }) {
  return <AriaButton {...props} className={['button', `button-${variant}`, className].filter(Boolean).join(' ')} />;
}

export function Notice({ tone, title, children }: { tone: 'info' | 'success' | 'warning' | 'error'; title?: string; children: ReactNode }) {
  // Errors interrupt (alert); other outcomes are announced politely (status).
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <p className="notice-title">{title}</p>}
      {children}
    </div>
  );
}

/** An API error as the API words it, plus what the console adds for some codes (`explain`). */
export function ErrorNotice({ error, explain }: { error: unknown; explain?: (error: ApiError) => ReactNode }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  return (
    <Notice tone="error" title={apiError ? `${apiError.code}` : 'Something went wrong'}>
      <p>{(error as Error).message}</p>
      {apiError && explain?.(apiError)}
    </Notice>
  );
}

/** Says which role a page or action needs, when the signed-in person lacks it. */
export function NeedsRole({ what, roles }: { what: string; roles: string }) {
  return (
    <Notice tone="info" title="Not available with your roles">
      <p>
        {what} needs {roles}. Ask an administrator of your identity provider to add you to that group, then sign in again.
      </p>
    </Notice>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1 tabIndex={-1}>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

export const formatDateTime = (iso: string | number | undefined) =>
  iso === undefined || iso === '' ? '—' : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
