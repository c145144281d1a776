import { useEffect, useState } from 'react';
import type { SignedOutReason } from '../auth/session.ts';
import { beginSignIn } from '../auth/signIn.ts';
import { Button, Notice } from '../components/ui.tsx';
import type { ConsoleConfig } from '../consoleConfig.ts';

const REASONS: Record<SignedOutReason, string> = {
  expired: 'Your session has expired. Sign in again to go on.',
  'signed-out': 'You have signed out.',
  error: 'Signing in did not work.',
};

export function SignIn({ config, reason, message }: { config: ConsoleConfig; reason?: SignedOutReason; message?: string }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    document.title = 'Sign in · Seatkeeper';
  }, []);
  const start = () => beginSignIn(config).catch((e: Error) => setError(`The identity provider could not be reached: ${e.message}`));
  return (
    <main className="sign-in">
      <h1>Seatkeeper</h1>
      <p>Licence seats per area: the statistics, people, imports and licences of your intranet.</p>
      {reason && (
        <Notice tone={reason === 'error' ? 'error' : 'info'}>
          <p>{REASONS[reason]}</p>
          {message && <p>{message}</p>}
        </Notice>
      )}
      {error && (
        <Notice tone="error">
          <p>{error}</p>
        </Notice>
      )}
      <Button variant="primary" onPress={() => void start()}>
        Sign in
      </Button>
      {config.auth.kind === 'local' && (
        <p className="hint">This console runs locally (npm start): signing in opens the local sign-in page, where you pick your roles.</p>
      )}
    </main>
  );
}
