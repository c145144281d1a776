/** GET /export: the people of an area (or all) in a state (or any), as a CSV to download. */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { api } from '../api/client.ts';
import type { UserState } from '../api/types.ts';
import { useAreas, withAll } from '../components/areas.ts';
import { Button, ErrorNotice, formatDateTime, NeedsRole, Notice, PageHeader } from '../components/ui.tsx';
import { SelectInput } from '../components/fields.tsx';
import { useConsole } from '../settings.ts';

const STATES = [
  { id: '', label: 'Any state' },
  { id: 'active', label: 'Active' },
  { id: 'blocked', label: 'Blocked' },
];

export default function Export() {
  const { can } = useConsole();
  const { choices } = useAreas();
  const [area, setArea] = useState('');
  const [state, setState] = useState('');
  const run = useMutation({
    mutationFn: () => api.exportPeople({ area: area || undefined, state: (state || undefined) as UserState | undefined }),
  });
  if (!can('people-admin')) {
    return (
      <>
        <PageHeader title="Export" />
        <NeedsRole what="Exporting people" roles="the people-admin role" />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Export" />
      <p className="hint">
        A CSV of the people you choose (UTF-8, opens in Excel): id, email, name, area, account state, blocked reason, exempt, roles, source,
        created, updated. The download link lasts 15 minutes.
      </p>
      <Form
        className="filters"
        aria-label="Export people"
        onSubmit={(event) => {
          event.preventDefault();
          run.mutate();
        }}
      >
        <SelectInput label="Area" choices={withAll(choices)} value={area} onChange={setArea} />
        <SelectInput label="State" choices={STATES} value={state} onChange={setState} />
        <Button type="submit" variant="primary" isDisabled={run.isPending}>
          {run.isPending ? 'Exporting…' : 'Export'}
        </Button>
      </Form>
      <ErrorNotice error={run.error} />
      {run.data && (
        <Notice tone="success" title={`${run.data.rows} ${run.data.rows === 1 ? 'person' : 'people'} exported`}>
          <p>
            <a className="button button-primary" href={run.data.url} download>
              Download the CSV
            </a>{' '}
            (the link works until {formatDateTime(run.data.expiresAt)})
          </p>
        </Notice>
      )}
    </>
  );
}
