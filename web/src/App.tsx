/**
 * The console's frame: sign-in when signed out; else the navigation, who is signed in with
 * their roles, and the page of the address's hash (#/people, …; the API owns every other path).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef } from 'react';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { ApiError } from './api/client.ts';
import { personOf, useSession } from './auth/session.ts';
import { signOut } from './auth/signIn.ts';
import { Button } from './components/ui.tsx';
import type { ConsoleConfig } from './consoleConfig.ts';
import { Overview } from './pages/Overview.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { Console, useConsole } from './settings.ts';

const People = lazy(() => import('./pages/People.tsx'));
const WaitingList = lazy(() => import('./pages/WaitingList.tsx'));
const Imports = lazy(() => import('./pages/Imports.tsx'));
const Export = lazy(() => import('./pages/Export.tsx'));
const Licences = lazy(() => import('./pages/Licences.tsx'));
const Directories = lazy(() => import('./pages/Directories.tsx'));

export const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/people', label: 'People' },
  { path: '/waiting', label: 'Waiting list' },
  { path: '/imports', label: 'Imports' },
  { path: '/export', label: 'Export' },
  { path: '/licences', label: 'Licences' },
  { path: '/directories', label: 'Directories' },
] as const;

function queryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal (4xx) will not change by asking again; a network fault or 5xx may.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        staleTime: 5_000,
      },
    },
  });
}

export function App({ config }: { config: ConsoleConfig }) {
  const state = useSession();
  // A new client per session: nothing one person read is shown to the next.
  const client = useMemo(queryClient, [state.session?.claims.sub]);
  if (!state.session) return <SignIn config={config} reason={state.reason} message={state.message} />;
  const person = personOf(state.session, config.groupsClaim);
  return (
    <Console.Provider value={{ config, person }}>
      <QueryClientProvider client={client}>
        <Router hook={useHashLocation}>
          <Shell onSignOut={() => signOut(state.session)} />
        </Router>
      </QueryClientProvider>
    </Console.Provider>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const { person } = useConsole();
  const current = PAGES.find((page) => page.path === location || (page.path !== '/' && location.startsWith(`${page.path}/`)));

  // A new page: its title in the tab, focus on its heading (screen readers hear where they are).
  useEffect(() => {
    document.title = `${current?.label ?? 'Not found'} · Seatkeeper`;
    const heading = main.current?.querySelector('h1');
    if (heading && document.activeElement !== document.body) heading.focus();
  }, [location, current]);

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Seatkeeper</span>
        <div className="whoami" aria-label="Signed in">
          <span className="person">{person.label}</span>
          <ul className="roles" aria-label="Roles">
            {person.roles.length ? person.roles.map((role) => <li key={role}>{role}</li>) : <li className="no-role">no Seatkeeper role</li>}
          </ul>
          <Button variant="quiet" onPress={onSignOut}>
            Sign out
          </Button>
        </div>
      </header>
      <nav className="nav" aria-label="Pages">
        <ul>
          {PAGES.map((page) => (
            <li key={page.path}>
              <Link href={page.path} aria-current={current?.path === page.path ? 'page' : undefined}>
                {page.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1} className="main">
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Switch>
            <Route path="/" component={Overview} />
            <Route path="/people" component={People} />
            <Route path="/waiting" component={WaitingList} />
            <Route path="/imports">{() => <Imports />}</Route>
            <Route path="/imports/:id">{(params) => <Imports jobId={params.id} />}</Route>
            <Route path="/export" component={Export} />
            <Route path="/licences" component={Licences} />
            <Route path="/directories" component={Directories} />
            <Route>
              <h1>Not found</h1>
              <p>
                There is no page here. <Link href="/">Go to the overview</Link>.
              </p>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}
