/**
 * People: find (exact email), filter by area and state, page through GET /users 50 at a time,
 * create, block, unblock, move and delete.
 */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Checkbox, CheckboxGroup, Form, Label, Menu, MenuItem, MenuTrigger, Popover, Button as AriaButton } from 'react-aria-components';
import { useSearch } from 'wouter';
import { api, ApiError, idempotencyKey } from '../api/client.ts';
import { ROLES, type User, type UserState } from '../api/types.ts';
import { useAreas, withAll } from '../components/areas.ts';
import { SeatLimitHelp } from '../components/SeatLimitHelp.tsx';
import { Button, ErrorNotice, formatDateTime, NeedsRole, Notice, PageHeader } from '../components/ui.tsx';
import { ModalDialog, SelectInput, TextInput } from '../components/fields.tsx';
import { useConsole } from '../settings.ts';

const PAGE_SIZE = 50;

const STATES = [
  { id: '', label: 'Any state' },
  { id: 'active', label: 'Active' },
  { id: 'blocked', label: 'Blocked' },
];

export function stateText(user: Pick<User, 'state' | 'blockedReason'>): string {
  if (user.state === 'active') return 'Active';
  switch (user.blockedReason) {
    case 'license':
      return 'Waiting for a licence';
    case 'directory':
      return 'Blocked by its directory';
    default:
      return 'Blocked';
  }
}

const sourceText = (user: Pick<User, 'source' | 'directory'>) => (user.directory ? `${user.source} (${user.directory})` : user.source);

type Action = { kind: 'move' | 'delete'; user: User };

export default function People() {
  const { can } = useConsole();
  const search = useSearch();
  const params = new URLSearchParams(search);
  const [area, setArea] = useState(params.get('area') ?? '');
  const [state, setState] = useState(params.get('state') ?? '');
  const [emailInput, setEmailInput] = useState('');
  const [email, setEmail] = useState('');
  const [creating, setCreating] = useState(false);
  const [action, setAction] = useState<Action>();
  const [outcome, setOutcome] = useState<{ text: string } | { error: unknown }>();
  const { choices } = useAreas();
  const queryClient = useQueryClient();
  // A link here with filters (SEAT_LIMIT_REACHED's "Block someone") sets them and closes the dialog it came from.
  useEffect(() => {
    const next = new URLSearchParams(search);
    if (!next.has('area') && !next.has('state')) return;
    setArea(next.get('area') ?? '');
    setState(next.get('state') ?? '');
    setCreating(false);
  }, [search]);

  const filters = { area: area || undefined, state: (state || undefined) as UserState | undefined, email: email || undefined };
  const users = useInfiniteQuery({
    queryKey: ['users', filters],
    queryFn: ({ pageParam }) => api.listUsers({ ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: can('people-admin'),
  });

  const changed = () =>
    Promise.all(['users', 'summary', 'license', 'pending'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
  const rowAction = useMutation({
    mutationFn: async ({ kind, user, to }: { kind: 'block' | 'unblock' | 'delete' | 'move'; user: User; to?: string }) => {
      if (kind === 'block') await api.blockUser(user.id);
      if (kind === 'unblock') await api.unblockUser(user.id);
      if (kind === 'delete') await api.deleteUser(user.id);
      if (kind === 'move') await api.updateUser(user.id, { area: to! });
      return { kind, user, to };
    },
    onSuccess: async ({ kind, user, to }) => {
      const done = {
        block: 'blocked: its seat is free',
        unblock: 'unblocked: it takes a seat again',
        delete: 'deleted',
        move: `moved to ${to}`,
      }[kind];
      setOutcome({ text: `${user.email} ${done}.` });
      await changed();
    },
    onError: (error) => setOutcome({ error }),
  });

  if (!can('people-admin')) {
    return (
      <>
        <PageHeader title="People" />
        <NeedsRole what="Listing and changing people" roles="the people-admin role" />
      </>
    );
  }

  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title="People">
        <Button variant="primary" onPress={() => setCreating(true)}>
          Create a user
        </Button>
      </PageHeader>

      <Form
        className="filters"
        aria-label="Find people"
        onSubmit={(event) => {
          event.preventDefault();
          setEmail(emailInput.trim());
        }}
      >
        <TextInput
          label="Email"
          type="search"
          value={emailInput}
          onChange={setEmailInput}
          description="The exact address, in any letter case"
        />
        <Button type="submit">Find</Button>
        <SelectInput label="Area" choices={withAll(choices)} value={area} onChange={setArea} />
        <SelectInput label="State" choices={STATES} value={state} onChange={setState} />
      </Form>
      <p className="hint">
        Listed as the API orders them (it offers no other order): active accounts first, oldest first, then blocked ones by reason, those
        waiting for a licence in waiting-list order; without an area, area by area.
      </p>

      {outcome &&
        ('text' in outcome ? (
          <Notice tone="success">{outcome.text}</Notice>
        ) : (
          <ErrorNotice error={outcome.error} explain={(e) => <SeatLimitHelp error={e} />} />
        ))}
      <ErrorNotice error={users.error} />

      <div className="table-wrap" tabIndex={0} role="region" aria-label="People">
        <table className="table">
          <caption className="visually-hidden">People{area ? ` in ${area}` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Area</th>
              <th scope="col">State</th>
              <th scope="col">Roles</th>
              <th scope="col">Source</th>
              <th scope="col">Changed</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((user) => (
              <tr key={user.id}>
                <th scope="row">{user.email}</th>
                <td>{user.name}</td>
                <td>{user.area}</td>
                <td>
                  {stateText(user)}
                  {user.exempt && <span className="badge">exempt</span>}
                </td>
                <td>{user.roles.join(', ')}</td>
                <td>{sourceText(user)}</td>
                <td>{formatDateTime(user.updatedAt)}</td>
                <td>
                  <MenuTrigger>
                    <AriaButton className="button button-quiet" aria-label={`Actions for ${user.email}`}>
                      Actions ▾
                    </AriaButton>
                    <Popover className="popover">
                      <Menu
                        className="menu"
                        onAction={(key) => {
                          setOutcome(undefined);
                          if (key === 'block' || key === 'unblock') rowAction.mutate({ kind: key, user });
                          else setAction({ kind: key as Action['kind'], user });
                        }}
                      >
                        {user.state === 'active' ? (
                          <MenuItem className="menu-item" id="block">
                            Block
                          </MenuItem>
                        ) : (
                          <MenuItem className="menu-item" id="unblock">
                            Unblock
                          </MenuItem>
                        )}
                        <MenuItem className="menu-item" id="move">
                          Move to another area…
                        </MenuItem>
                        <MenuItem className="menu-item menu-item-danger" id="delete">
                          Delete…
                        </MenuItem>
                      </Menu>
                    </Popover>
                  </MenuTrigger>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {users.isSuccess && items.length === 0 && <p>No one matches.</p>}
      {users.isLoading && <p role="status">Loading people…</p>}
      <div className="load-more">
        <span role="status">{users.isSuccess ? `${items.length} shown${users.hasNextPage ? ', more to load' : ''}` : ''}</span>
        {users.hasNextPage && (
          <Button onPress={() => void users.fetchNextPage()} isDisabled={users.isFetchingNextPage}>
            Load 50 more
          </Button>
        )}
      </div>

      <CreateUserDialog isOpen={creating} onOpenChange={setCreating} onCreated={changed} />
      {action?.kind === 'move' && (
        <MoveDialog
          user={action.user}
          onClose={() => setAction(undefined)}
          onMove={(to) => rowAction.mutate({ kind: 'move', user: action.user, to })}
        />
      )}
      {action?.kind === 'delete' && (
        <ModalDialog
          title={`Delete ${action.user.email}?`}
          role="alertdialog"
          isOpen
          onOpenChange={(open) => !open && setAction(undefined)}
        >
          {(close) => (
            <>
              <p>
                <strong>Delete is permanent:</strong> the profile is gone and cannot be brought back. <strong>Block is reversible:</strong>{' '}
                it frees the seat just the same and keeps the profile, so the account can be unblocked later.
              </p>
              <div className="dialog-actions">
                <Button onPress={close} autoFocus>
                  Cancel
                </Button>
                {action.user.state === 'active' && (
                  <Button
                    onPress={() => {
                      rowAction.mutate({ kind: 'block', user: action.user });
                      close();
                    }}
                  >
                    Block instead
                  </Button>
                )}
                <Button
                  variant="danger"
                  onPress={() => {
                    rowAction.mutate({ kind: 'delete', user: action.user });
                    close();
                  }}
                >
                  Delete permanently
                </Button>
              </div>
            </>
          )}
        </ModalDialog>
      )}
    </>
  );
}

function MoveDialog({ user, onClose, onMove }: { user: User; onClose: () => void; onMove: (to: string) => void }) {
  const { choices } = useAreas();
  const others = choices.filter((c) => c.id !== user.area);
  const [to, setTo] = useState(others[0]?.id ?? '');
  return (
    <ModalDialog title={`Move ${user.email}`} isOpen onOpenChange={(open) => !open && onClose()}>
      {(close) => (
        <Form
          onSubmit={(event) => {
            event.preventDefault();
            onMove(to);
            close();
          }}
        >
          <p>
            From <strong>{user.area}</strong>.{' '}
            {user.state === 'active' && !user.exempt ? 'An active account needs a free seat in the new area.' : 'It needs no seat there.'}
          </p>
          <SelectInput label="New area" choices={others} value={to} onChange={setTo} />
          <div className="dialog-actions">
            <Button onPress={close}>Cancel</Button>
            <Button type="submit" variant="primary" isDisabled={!to}>
              Move
            </Button>
          </div>
        </Form>
      )}
    </ModalDialog>
  );
}

function CreateUserDialog({
  isOpen,
  onOpenChange,
  onCreated,
}: {
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => Promise<unknown>;
}) {
  const { can } = useConsole();
  const { choices } = useAreas();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [area, setArea] = useState('primary');
  const [roles, setRoles] = useState<string[]>([]);
  const [exempt, setExempt] = useState(false);
  // One key per filled-in form: pressing Create again after a lost answer cannot create twice.
  const [key, setKey] = useState(idempotencyKey);
  const [created, setCreated] = useState<User>();
  const create = useMutation({
    mutationFn: () =>
      api.createUser(
        {
          email: email.trim(),
          ...(name.trim() ? { name: name.trim() } : {}),
          area,
          ...(roles.length ? { roles } : {}),
          ...(exempt ? { exempt } : {}),
        },
        key,
      ),
    onSuccess: async ({ user }) => {
      setCreated(user);
      setEmail('');
      setName('');
      setRoles([]);
      setExempt(false);
      setKey(idempotencyKey());
      await onCreated();
    },
  });
  const fieldErrors = create.error instanceof ApiError && create.error.code === 'INVALID_REQUEST' ? issuesByField(create.error) : {};
  return (
    <ModalDialog
      title="Create a user"
      isOpen={isOpen}
      onOpenChange={(open) => {
        if (!open) {
          create.reset();
          setCreated(undefined);
        }
        onOpenChange(open);
      }}
    >
      {(close) => (
        <Form
          onSubmit={(event) => {
            event.preventDefault();
            setCreated(undefined);
            create.mutate();
          }}
        >
          {created && (
            <Notice tone="success">{`${created.email} created in ${created.area} (${stateText(created).toLowerCase()}).`}</Notice>
          )}
          <ErrorNotice
            error={
              create.error && !(create.error instanceof ApiError && create.error.code === 'INVALID_REQUEST') ? create.error : undefined
            }
            explain={(e) => <SeatLimitHelp error={e} />}
          />
          <TextInput
            label="Email"
            type="email"
            value={email}
            onChange={(v) => (setEmail(v), setKey(idempotencyKey()))}
            isRequired
            autoFocus
            errorMessage={fieldErrors.email}
          />
          <TextInput label="Name" value={name} onChange={(v) => (setName(v), setKey(idempotencyKey()))} errorMessage={fieldErrors.name} />
          <SelectInput label="Area" choices={choices} value={area} onChange={(v) => (setArea(v), setKey(idempotencyKey()))} />
          <CheckboxGroup className="field" value={roles} onChange={(v) => (setRoles(v), setKey(idempotencyKey()))}>
            <Label>Roles in Seatkeeper (optional)</Label>
            {ROLES.map((role) => (
              <Checkbox key={role} value={role} className="checkbox">
                <span className="checkbox-box" aria-hidden="true" />
                {role}
              </Checkbox>
            ))}
          </CheckboxGroup>
          {can('license-admin') && (
            <Checkbox className="checkbox" isSelected={exempt} onChange={(v) => (setExempt(v), setKey(idempotencyKey()))}>
              <span className="checkbox-box" aria-hidden="true" />
              Exempt: takes no seat (support profile, built-in administrator)
            </Checkbox>
          )}
          <div className="dialog-actions">
            <Button onPress={close}>Close</Button>
            <Button type="submit" variant="primary" isDisabled={create.isPending}>
              Create
            </Button>
          </div>
        </Form>
      )}
    </ModalDialog>
  );
}

/** INVALID_REQUEST's details.issues, by field, to show beside each field. */
function issuesByField(error: ApiError): Record<string, string> {
  const issues = Array.isArray(error.details.issues)
    ? (error.details.issues as { field?: string; path?: string; problem?: string; message?: string }[])
    : [];
  const byField: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.field ?? issue.path ?? '');
    byField[field] = `${field} ${issue.problem ?? issue.message ?? 'is not valid'}`;
  }
  if (!Object.keys(byField).length) byField.email = error.message;
  return byField;
}
