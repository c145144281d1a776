/** The licence waiting list (GET /pending), per area oldest first, and the activation run now. */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.ts';
import type { ActivationResult, WaitingEntry } from '../api/types.ts';
import { useAreas, withAll } from '../components/areas.ts';
import { Button, ErrorNotice, formatDateTime, NeedsRole, Notice, PageHeader } from '../components/ui.tsx';
import { SelectInput } from '../components/fields.tsx';
import { useConsole } from '../settings.ts';

const SOURCE_TEXT: Record<string, string> = { api: 'the API', csv: 'a CSV upload', sync: 'a directory sync file', scim: 'SCIM' };
const cameFrom = (entry: WaitingEntry) => `${SOURCE_TEXT[entry.source] ?? entry.source}${entry.directory ? ` (${entry.directory})` : ''}`;

export default function WaitingList() {
  const { can } = useConsole();
  const [area, setArea] = useState('');
  const { choices } = useAreas();
  const queryClient = useQueryClient();
  const pending = useInfiniteQuery({
    queryKey: ['pending', area],
    queryFn: ({ pageParam }) => api.listPending({ area: area || undefined, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: can('people-admin'),
  });
  const items = pending.data?.pages.flatMap((page) => page.items) ?? [];
  const [seen, setSeen] = useState(new Map<string, WaitingEntry>());
  const activate = useMutation({
    mutationFn: () => {
      // Whom the run may activate, as listed now: its answer names users by id.
      setSeen(new Map(items.map((entry) => [entry.userId, entry])));
      return api.activatePending(area || undefined);
    },
    onSuccess: () =>
      Promise.all(['pending', 'summary', 'users', 'license'].map((key) => queryClient.invalidateQueries({ queryKey: [key] }))),
  });

  if (!can('people-admin')) {
    return (
      <>
        <PageHeader title="Waiting list" />
        <NeedsRole what="The waiting list" roles="the people-admin role" />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Waiting list">
        <Button variant="primary" onPress={() => activate.mutate()} isDisabled={activate.isPending}>
          {area ? `Activate now in ${area}` : 'Activate now'}
        </Button>
      </PageHeader>
      <p className="hint">
        Accounts a directory (sync or SCIM) created while their area was full wait here, oldest first, for a seat. The activation run gives
        free seats to them in this order; it also runs on a schedule. Accounts an administrator blocked never wait here.
      </p>
      <div className="filters">
        <SelectInput label="Area" choices={withAll(choices)} value={area} onChange={setArea} />
      </div>
      {activate.data && <ActivationOutcome result={activate.data} seen={seen} />}
      <ErrorNotice error={activate.error ?? pending.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Waiting for a licence">
        <table className="table">
          <caption className="visually-hidden">Waiting for a licence</caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Position</th>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Waiting since</th>
              <th scope="col">Came from</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <tr key={entry.userId}>
                <td>{entry.area}</td>
                <td>{entry.position}</td>
                <th scope="row">{entry.email}</th>
                <td>{entry.name}</td>
                <td>{formatDateTime(entry.since)}</td>
                <td>{cameFrom(entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pending.isSuccess && items.length === 0 && <p>Nobody is waiting{area ? ` in ${area}` : ''}.</p>}
      {pending.hasNextPage && (
        <Button onPress={() => void pending.fetchNextPage()} isDisabled={pending.isFetchingNextPage}>
          Load 50 more
        </Button>
      )}
    </>
  );
}

function ActivationOutcome({ result, seen }: { result: ActivationResult; seen: Map<string, WaitingEntry> }) {
  const who = result.areas.flatMap((a) => a.activated.map((id) => ({ id, area: a.area, entry: seen.get(id) })));
  return (
    <Notice tone={result.activated ? 'success' : 'info'} title={result.activated ? `${result.activated} got a seat` : 'Nobody got a seat'}>
      {who.length > 0 && (
        <ul>
          {who.map(({ id, area, entry }) => (
            <li key={id}>{entry ? `${entry.email} (${area})` : `user ${id} (${area})`}</li>
          ))}
        </ul>
      )}
      {result.areas.map((a) => (
        <p key={a.area}>
          {a.area}: {a.pending} still waiting, {a.available} free seat{a.available === 1 ? '' : 's'}.
        </p>
      ))}
    </Notice>
  );
}
