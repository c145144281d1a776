import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { configureApi } from './api/client.ts';
import { App } from './App.tsx';
import { completeSignIn, signInFromHash } from './auth/signIn.ts';
import { currentToken, endSession } from './auth/session.ts';
import { loadConfig } from './config.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  const config = await loadConfig();
  configureApi({
    baseUrl: config.apiUrl.replace(/\/$/, ''),
    token: currentToken,
    onUnauthorized: () => endSession('expired'),
  });
  await completeSignIn(config);
  // A script (or a test) that opens /#access_token=… in a tab that already runs the console.
  window.addEventListener('hashchange', signInFromHash);
  root.render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <main className="boot-error">
      <h1>The console could not start</h1>
      <p role="alert">{(error as Error).message}</p>
    </main>,
  );
}
