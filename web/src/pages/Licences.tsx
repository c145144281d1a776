/** Licences: every area's limit (GET /license); licence admins set limits, add areas and move free seats. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Form } from 'react-aria-components';
import { api, ApiError, idempotencyKey } from '../api/client.ts';
import type { LicenseArea } from '../api/types.ts';
import { Button, ErrorNotice, NeedsRole, Notice, PageHeader } from '../components/ui.tsx';
import { ModalDialog, NumberInput, SelectInput, TextInput } from '../components/fields.tsx';
import { useConsole } from '../settings.ts';

/** What the console adds to the API's own message for the two refusals of this page. */
function explainRefusal(error: ApiError): ReactNode {
  const d = error.details;
  if (error.code === 'LIMIT_BELOW_ACTIVE')
    return (
      <p>
        A limit cannot go below the accounts active in the area{typeof d.active === 'number' ? ` (${d.active})` : ''}: nobody loses access
        because of a limit. Block or delete accounts there first, or choose a limit of at least that many.
      </p>
    );
  if (error.code === 'NOT_ENOUGH_FREE_SEATS')
    return (
      <p>
        Only free seats move
        {typeof d.available === 'number'
          ? `: ${d.available} ${d.available === 1 ? 'is' : 'are'} free in ${typeof d.area === 'string' ? d.area : typeof d.from === 'string' ? d.from : 'that area'}`
          : ''}
        . Move fewer, free seats there first (block accounts), or raise the limit of the area that needs them instead.
      </p>
    );
  return null;
}

const invalidate = (queryClient: ReturnType<typeof useQueryClient>) =>
  Promise.all(['license', 'summary'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));

export default function Licences() {
  const { can } = useConsole();
  const license = useQuery({ queryKey: ['license'], queryFn: api.license });
  const [editing, setEditing] = useState<LicenseArea>();
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState<string>();
  const areas = license.data?.areas ?? [];
  const isLicenceAdmin = can('license-admin');
  return (
    <>
      <PageHeader title="Licences">
        {isLicenceAdmin && (
          <Button variant="primary" onPress={() => setAdding(true)}>
            Add an area
          </Button>
        )}
      </PageHeader>
      {!isLicenceAdmin && <NeedsRole what="Changing limits, adding areas and moving seats" roles="the license-admin role" />}
      {done && <Notice tone="success">{done}</Notice>}
      <ErrorNotice error={license.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Licences per area">
        <table className="table">
          <caption className="visually-hidden">Licences per area</caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Limit</th>
              <th scope="col">Seats in use</th>
              <th scope="col">Free seats</th>
              {isLicenceAdmin && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {areas.map((a) => (
              <tr key={a.area}>
                <th scope="row">{a.area}</th>
                <td>{a.limit}</td>
                <td>{a.active}</td>
                <td>{a.available}</td>
                {isLicenceAdmin && (
                  <td>
                    <Button variant="quiet" aria-label={`Set limit for ${a.area}`} onPress={() => (setDone(undefined), setEditing(a))}>
                      Set limit
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {isLicenceAdmin && areas.length >= 2 && <TransferForm areas={areas} onDone={setDone} />}
      {editing && <LimitDialog area={editing} onClose={() => setEditing(undefined)} onDone={setDone} />}
      {adding && <LimitDialog onClose={() => setAdding(false)} onDone={setDone} existing={areas.map((a) => a.area)} />}
    </>
  );
}

/** Sets an area's limit; without `area`, adds a new area with one. */
function LimitDialog({
  area,
  existing = [],
  onClose,
  onDone,
}: {
  area?: LicenseArea;
  existing?: string[];
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(area?.area ?? '');
  const [limit, setLimit] = useState(area?.limit ?? 10);
  const save = useMutation({
    mutationFn: () => api.putAreaLimit(name.trim(), limit),
    onSuccess: async (result) => {
      onDone(
        result.created
          ? `Area ${result.area.area} added with ${result.area.limit} seats.`
          : `The limit of ${result.area.area} is now ${result.area.limit}.`,
      );
      await invalidate(queryClient);
      onClose();
    },
  });
  const nameTaken = !area && existing.includes(name.trim());
  const nameError =
    save.error instanceof ApiError && save.error.code === 'INVALID_REQUEST'
      ? save.error.message
      : nameTaken
        ? `${name.trim()} exists already: set its limit instead.`
        : undefined;
  return (
    <ModalDialog title={area ? `Set the limit of ${area.area}` : 'Add an area'} isOpen onOpenChange={(open) => !open && onClose()}>
      {(close) => (
        <Form
          onSubmit={(event) => {
            event.preventDefault();
            if (!nameTaken) save.mutate();
          }}
        >
          {area ? (
            <p>{area.active} seats are in use; the limit cannot go below that.</p>
          ) : (
            <TextInput
              label="Area name"
              value={name}
              onChange={setName}
              isRequired
              autoFocus
              description="1–40 lower-case letters, digits or dashes, starting with a letter"
              errorMessage={nameError}
            />
          )}
          <NumberInput label="Limit (seats)" value={limit} onChange={setLimit} minValue={0} isRequired autoFocus={!!area} />
          <ErrorNotice
            error={save.error instanceof ApiError && save.error.code === 'INVALID_REQUEST' ? undefined : save.error}
            explain={explainRefusal}
          />
          <div className="dialog-actions">
            <Button onPress={close}>Cancel</Button>
            <Button type="submit" variant="primary" isDisabled={save.isPending}>
              {area ? 'Set limit' : 'Add area'}
            </Button>
          </div>
        </Form>
      )}
    </ModalDialog>
  );
}

function TransferForm({ areas, onDone }: { areas: LicenseArea[]; onDone: (text: string) => void }) {
  const queryClient = useQueryClient();
  const choices = areas.map((a) => ({ id: a.area, label: `${a.area} (${a.available} free)` }));
  const [from, setFrom] = useState(areas[0]!.area);
  const [to, setTo] = useState(areas[1]!.area);
  const [seats, setSeats] = useState(1);
  const [key, setKey] = useState(idempotencyKey);
  const move = useMutation({
    mutationFn: () => api.transferSeats({ from, to, seats }, key),
    onSuccess: async () => {
      onDone(`${seats} free seat${seats === 1 ? '' : 's'} moved from ${from} to ${to}.`);
      setKey(idempotencyKey());
      await invalidate(queryClient);
    },
  });
  const fresh =
    <T,>(set: (v: T) => void) =>
    (v: T) => (set(v), setKey(idempotencyKey()), move.reset());
  return (
    <section className="panel" aria-labelledby="transfer-heading">
      <h2 id="transfer-heading">Move free seats</h2>
      <p className="hint">Moves free seats from one area's limit to another's in one step: the total stays the same.</p>
      <Form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          move.mutate();
        }}
      >
        <SelectInput label="From" choices={choices} value={from} onChange={fresh(setFrom)} />
        <SelectInput label="To" choices={choices.filter((c) => c.id !== from)} value={to === from ? '' : to} onChange={fresh(setTo)} />
        <NumberInput label="Seats" value={seats} onChange={fresh(setSeats)} minValue={1} isRequired />
        <Button type="submit" variant="primary" isDisabled={move.isPending || from === to}>
          Move seats
        </Button>
      </Form>
      <ErrorNotice error={move.error} explain={explainRefusal} />
    </section>
  );
}
