/** Directories: SCIM tokens for Okta or Entra ID. Issuing, listing and revoking one needs both roles. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { api, apiBaseUrl, ApiError } from '../api/client.ts';
import type { IssuedScimToken, ScimToken } from '../api/types.ts';
import { Button, ErrorNotice, formatDateTime, NeedsRole, Notice, PageHeader } from '../components/ui.tsx';
import { ModalDialog, TextInput } from '../components/fields.tsx';
import { useConsole } from '../settings.ts';

export default function Directories() {
  const { can } = useConsole();
  const allowed = can('people-admin') && can('license-admin');
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['scim-tokens'], queryFn: api.listScimTokens, enabled: allowed });
  const [directory, setDirectory] = useState('');
  const [description, setDescription] = useState('');
  const [issued, setIssued] = useState<IssuedScimToken>();
  const [revoking, setRevoking] = useState<ScimToken>();
  const [revoked, setRevoked] = useState<string>();
  const issue = useMutation({
    mutationFn: () =>
      api.createScimToken({ directory: directory.trim(), ...(description.trim() ? { description: description.trim() } : {}) }),
    onSuccess: async (result) => {
      setIssued(result);
      setDirectory('');
      setDescription('');
      setRevoked(undefined);
      await queryClient.invalidateQueries({ queryKey: ['scim-tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (token: ScimToken) => api.deleteScimToken(token.id),
    onSuccess: async (_, token) => {
      setRevoked(
        `The token of ${token.directory}${token.description ? ` (${token.description})` : ''} is revoked: the directory can no longer provision with it.`,
      );
      await queryClient.invalidateQueries({ queryKey: ['scim-tokens'] });
    },
  });

  if (!allowed) {
    return (
      <>
        <PageHeader title="Directories" />
        <NeedsRole
          what="Issuing, listing and revoking SCIM tokens (a token creates, changes and deletes people)"
          roles="both roles, people-admin and license-admin"
        />
      </>
    );
  }
  const scimBaseUrl = `${apiBaseUrl()}/scim/v2`;
  const invalid = issue.error instanceof ApiError && issue.error.code === 'INVALID_REQUEST' ? issue.error.message : undefined;
  return (
    <>
      <PageHeader title="Directories" />
      <p className="hint">
        Okta and Entra ID provision people through SCIM 2.0. Give the directory the SCIM base URL and a token issued here; it then creates,
        updates and deactivates people within the licence rules. SCIM base URL: <code>{scimBaseUrl}</code>
      </p>
      <section className="panel" aria-labelledby="issue-heading">
        <h2 id="issue-heading">Issue a token</h2>
        <Form
          className="filters"
          onSubmit={(event) => {
            event.preventDefault();
            issue.mutate();
          }}
        >
          <TextInput
            label="Directory"
            value={directory}
            onChange={setDirectory}
            isRequired
            description="e.g. okta or entra: lower-case letters, digits, dashes"
            errorMessage={invalid}
          />
          <TextInput label="Description" value={description} onChange={setDescription} description="Optional: where the token is used" />
          <Button type="submit" variant="primary" isDisabled={issue.isPending}>
            Issue token
          </Button>
        </Form>
        <ErrorNotice error={invalid ? undefined : issue.error} />
      </section>
      {revoked && <Notice tone="success">{revoked}</Notice>}
      <ErrorNotice error={revoke.error ?? tokens.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label="SCIM tokens">
        <table className="table">
          <caption className="visually-hidden">SCIM tokens</caption>
          <thead>
            <tr>
              <th scope="col">Directory</th>
              <th scope="col">Description</th>
              <th scope="col">Issued</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data?.items ?? []).map((token) => (
              <tr key={token.id}>
                <th scope="row">{token.directory}</th>
                <td>{token.description ?? ''}</td>
                <td>{formatDateTime(token.createdAt)}</td>
                <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}</td>
                <td>
                  <Button
                    variant="quiet"
                    aria-label={`Revoke the token of ${token.directory}${token.description ? ` (${token.description})` : ''}`}
                    onPress={() => setRevoking(token)}
                  >
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {tokens.isSuccess && tokens.data.items.length === 0 && <p>No token has been issued.</p>}

      {issued && <IssuedDialog issued={issued} scimBaseUrl={scimBaseUrl} onClose={() => setIssued(undefined)} />}
      {revoking && (
        <ModalDialog
          title={`Revoke the token of ${revoking.directory}?`}
          role="alertdialog"
          isOpen
          onOpenChange={(open) => !open && setRevoking(undefined)}
        >
          {(close) => (
            <>
              <p>
                The directory can no longer provision with it (on AWS within 5 minutes, as API Gateway caches a token's check). Issue a new
                one to reconnect.
              </p>
              <div className="dialog-actions">
                <Button onPress={close} autoFocus>
                  Cancel
                </Button>
                <Button
                  variant="danger"
                  onPress={() => {
                    revoke.mutate(revoking);
                    close();
                  }}
                >
                  Revoke
                </Button>
              </div>
            </>
          )}
        </ModalDialog>
      )}
    </>
  );
}

function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState<string>();
  return (
    <div className="copy-field">
      <TextInput label={label} value={value} onChange={() => undefined} isReadOnly />
      <Button
        aria-label={`Copy the ${label.toLowerCase()}`}
        onPress={() =>
          void navigator.clipboard.writeText(value).then(
            () => setCopied('Copied.'),
            () => setCopied('Copying failed: select the text and copy it.'),
          )
        }
      >
        Copy
      </Button>
      <span role="status" className="hint">
        {copied}
      </span>
    </div>
  );
}

function IssuedDialog({ issued, scimBaseUrl, onClose }: { issued: IssuedScimToken; scimBaseUrl: string; onClose: () => void }) {
  return (
    <ModalDialog title={`Token for ${issued.scimToken.directory}`} isOpen onOpenChange={(open) => !open && onClose()}>
      {(close) => (
        <>
          <Notice tone="warning">
            <p>
              This token is shown once: copy it now. Only its hash is kept, so nobody can show it again; if it is lost, revoke it and issue
              another.
            </p>
          </Notice>
          <CopyField label="SCIM token" value={issued.token} />
          <CopyField label="SCIM base URL" value={scimBaseUrl} />
          <p className="hint">
            In Okta: Applications → your app → Provisioning → SCIM connector base URL, and the token as HTTP Header authentication. In Entra
            ID: Enterprise application → Provisioning → Tenant URL and Secret Token.
          </p>
          <div className="dialog-actions">
            <Button variant="primary" onPress={close}>
              Done
            </Button>
          </div>
        </>
      )}
    </ModalDialog>
  );
}
