/**
 * Imports: a CSV goes straight to S3 through POST /imports's presigned PUT (as an upload into an
 * area, or a directory sync run); then the job's progress, counts, outcome and report; recent jobs.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { DropZone, FileTrigger, Form, Label, ProgressBar, Radio, RadioGroup, Text } from 'react-aria-components';
import { Link, useLocation } from 'wouter';
import { api, ApiError } from '../api/client.ts';
import type { ImportCounts, ImportJob, ImportReportRow } from '../api/types.ts';
import { putFile } from '../api/upload.ts';
import { useAreas } from '../components/areas.ts';
import { Button, ErrorNotice, formatDateTime, NeedsRole, Notice, PageHeader } from '../components/ui.tsx';
import { SelectInput, TextInput } from '../components/fields.tsx';
import { useConsole } from '../settings.ts';

const POLL_MS = 1000;
const isDone = (job?: ImportJob) => job !== undefined && job.status !== 'running' && job.status !== 'interrupted';

const STATUS_TEXT: Record<ImportJob['status'], string> = {
  running: 'Importing',
  interrupted: 'Interrupted',
  succeeded: 'Finished',
  failed: 'Failed',
  skipped: 'Skipped',
};

const COUNT_LABELS: [keyof ImportCounts, string][] = [
  ['rows', 'Rows read'],
  ['created', 'Created'],
  ['activated', 'Activated'],
  ['blockedPending', 'Waiting for a licence'],
  ['skippedExisting', 'Already there'],
  ['rejected', 'Rejected'],
  ['ignored', 'Ignored'],
  ['blockedAbsent', 'Blocked (absent or disabled)'],
];

const formatBytes = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export default function Imports({ jobId }: { jobId?: string }) {
  const { can } = useConsole();
  if (!can('people-admin')) {
    return (
      <>
        <PageHeader title="Imports" />
        <NeedsRole what="Importing people" roles="the people-admin role" />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Imports" />
      {jobId ? <JobView id={jobId} /> : <NewImport />}
      <RecentJobs />
    </>
  );
}

function NewImport() {
  const { choices } = useAreas();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'upload' | 'sync'>('upload');
  const [area, setArea] = useState('primary');
  const [directory, setDirectory] = useState('');
  const [file, setFile] = useState<File>();
  const [progress, setProgress] = useState<{ sent: number; total: number }>();
  const start = useMutation({
    mutationFn: async (chosen: File) => {
      const upload = await api.createImport(
        kind === 'upload'
          ? { kind, fileName: chosen.name, size: chosen.size, area }
          : { kind, fileName: chosen.name, size: chosen.size, directory: directory.trim() },
      );
      setProgress({ sent: 0, total: chosen.size });
      await putFile(upload.upload, chosen, (sent, total) => setProgress({ sent, total }));
      return upload;
    },
    onSuccess: async (upload) => {
      await queryClient.invalidateQueries({ queryKey: ['imports'] });
      navigate(`/imports/${upload.id}`);
    },
    onSettled: () => setProgress(undefined),
  });
  const choose = (files: File[]) => {
    start.reset();
    setFile(files[0]);
  };
  const fileProblem =
    file && !/.\.csv$/i.test(file.name) ? `${file.name} is not a .csv file.` : file?.size === 0 ? `${file.name} is empty.` : undefined;
  return (
    <section className="panel" aria-labelledby="new-import">
      <h2 id="new-import">New import</h2>
      <Form
        onSubmit={(event) => {
          event.preventDefault();
          if (file && !fileProblem) start.mutate(file);
        }}
      >
        <RadioGroup className="field radio-group" value={kind} onChange={(v) => setKind(v as 'upload' | 'sync')}>
          <Label>What the file is</Label>
          <Radio className="radio" value="upload">
            <span className="radio-dot" aria-hidden="true" />
            An upload into an area: add these people (rows beyond the free seats are not created)
          </Radio>
          <Radio className="radio" value="sync">
            <span className="radio-dot" aria-hidden="true" />A directory sync run: the full list a directory holds (rows beyond the free
            seats wait for a licence)
          </Radio>
        </RadioGroup>
        {kind === 'upload' ? (
          <SelectInput label="Area" choices={choices} value={area} onChange={setArea} description="Used for rows without an area column" />
        ) : (
          <TextInput
            label="Directory"
            value={directory}
            onChange={setDirectory}
            isRequired
            description="e.g. okta, entra, ad: the sync changes only this directory's people"
          />
        )}
        <DropZone
          className="dropzone"
          aria-label="CSV file"
          onDrop={(event) => {
            const item = event.items.find((i) => i.kind === 'file');
            if (item && item.kind === 'file') void item.getFile().then((picked) => choose([picked]));
          }}
        >
          <Text slot="label">{file ? `${file.name} (${formatBytes(file.size)})` : 'Drop a CSV file here, or choose one.'}</Text>
          <FileTrigger acceptedFileTypes={['.csv', 'text/csv']} onSelect={(list) => list && choose(Array.from(list))}>
            <Button>Choose a file</Button>
          </FileTrigger>
        </DropZone>
        {fileProblem && <Notice tone="error">{fileProblem}</Notice>}
        {progress && (
          <ProgressBar
            className="progress"
            value={progress.sent}
            maxValue={Math.max(progress.total, 1)}
            valueLabel={`${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`}
          >
            {({ percentage, valueText }) => (
              <>
                <div className="meter-labels">
                  <Label>Sending the file</Label>
                  <span>{valueText}</span>
                </div>
                <div className="meter-track">
                  <div className="meter-fill" style={{ width: `${percentage}%` }} />
                </div>
              </>
            )}
          </ProgressBar>
        )}
        <ErrorNotice error={start.error} />
        <div className="dialog-actions">
          <Button
            type="submit"
            variant="primary"
            isDisabled={!file || !!fileProblem || start.isPending || (kind === 'sync' && !directory.trim())}
          >
            {start.isPending ? 'Uploading…' : 'Upload and import'}
          </Button>
        </div>
      </Form>
    </section>
  );
}

function JobView({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ['import', id],
    queryFn: () => api.getImport(id),
    // Until the import function has picked the file up, the job does not exist yet (404): keep asking.
    retry: false,
    refetchInterval: (query) => (isDone(query.state.data?.job) ? false : POLL_MS),
  });
  const retry = useMutation({
    mutationFn: () => api.retryImport(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['import', id] }),
  });
  const current = job.data?.job;
  // The recent list shows this job's status too: read it again whenever the status changes.
  useEffect(() => {
    if (current?.status) void queryClient.invalidateQueries({ queryKey: ['imports'] });
  }, [current?.status, queryClient]);
  const notYet = job.error instanceof ApiError && job.error.code === 'IMPORT_NOT_FOUND';
  return (
    <section className="panel" aria-labelledby="job-heading">
      <h2 id="job-heading">
        {current ? `${current.mode === 'sync' ? 'Sync run' : 'Upload'}: ${current.key.split('/').at(-1)}` : 'Import'}
      </h2>
      <p>
        <Link href="/imports">Start another import</Link>
      </p>
      {notYet && <p role="status">Waiting for the file to be picked up…</p>}
      {!notYet && <ErrorNotice error={job.error} />}
      {current && (
        <>
          <p role="status" className={`job-status job-${current.status}`}>
            <strong>{STATUS_TEXT[current.status]}</strong>
            {current.status === 'running' && current.progress ? ` — ${current.progress.phase}, ${current.progress.rowsRead} rows read` : ''}
            {current.finishedAt ? ` at ${formatDateTime(current.finishedAt)}` : ''}
          </p>
          <dl className="facts">
            <div>
              <dt>{current.mode === 'sync' ? 'Directory' : 'Area'}</dt>
              <dd>{current.mode === 'sync' ? current.directory : (current.area ?? 'from the file')}</dd>
            </div>
            <div>
              <dt>File</dt>
              <dd>{current.key}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDateTime(current.startedAt)}</dd>
            </div>
          </dl>
          {current.failure && (
            <Notice tone="error" title={current.failure.code}>
              <p>{current.failure.message}</p>
            </Notice>
          )}
          {current.status === 'interrupted' && (
            <Notice tone="warning" title="The import stopped before the end">
              <p>{current.lastError}</p>
              <Button variant="primary" onPress={() => retry.mutate()} isDisabled={retry.isPending}>
                Resume the import
              </Button>
            </Notice>
          )}
          <ErrorNotice error={retry.error} />
          {current.counts && (
            <dl className="figures counts" aria-label="Counts">
              {COUNT_LABELS.filter(([key]) => key === 'rows' || current.counts![key] > 0).map(([key, label]) => (
                <div key={key} className="figure">
                  <dt>{label}</dt>
                  <dd>{current.counts![key]}</dd>
                </div>
              ))}
            </dl>
          )}
          {isDone(current) && current.report?.url && <Report url={current.report.url} />}
        </>
      )}
    </section>
  );
}

function Report({ url }: { url: string }) {
  const rows = useQuery({
    queryKey: ['report', url],
    queryFn: async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`The report could not be read (HTTP ${response.status}).`);
      const { parse } = await import('csv-parse/browser/esm/sync');
      return parse<ImportReportRow>(await response.text(), { columns: true, bom: true, skip_empty_lines: true });
    },
    staleTime: Infinity,
  });
  const notCreated = (rows.data ?? []).filter((row) => row.outcome !== 'created' && row.outcome !== 'activated');
  return (
    <>
      <h3>Rows not created</h3>
      <p>
        <a href={url}>Download the whole report (CSV)</a>: every row with its outcome.
      </p>
      <ErrorNotice error={rows.error} />
      {rows.isSuccess && notCreated.length === 0 && <p>Every row was created or activated.</p>}
      {notCreated.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Rows not created">
          <table className="table">
            <caption className="visually-hidden">Rows not created</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Email</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {notCreated.map((row) => (
                <tr key={`${row.line}-${row.email}`}>
                  <td>{row.line}</td>
                  <th scope="row">{row.email}</th>
                  <td>{row.outcome}</td>
                  <td>{row.reason}</td>
                  <td>{row.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function RecentJobs() {
  const jobs = useInfiniteQuery({
    queryKey: ['imports'],
    queryFn: ({ pageParam }) => api.listImports({ limit: 20, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.items.some((j) => j.status === 'running')) ? 3000 : false),
  });
  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="recent-imports">
      <h2 id="recent-imports">Recent imports</h2>
      <ErrorNotice error={jobs.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Recent imports">
        <table className="table">
          <caption className="visually-hidden">Recent imports, newest first</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Rejected</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {items.map((job) => (
              <tr key={job.id}>
                <th scope="row">
                  <Link href={`/imports/${job.id}`}>{job.key}</Link>
                </th>
                <td>{job.mode === 'sync' ? `sync (${job.directory})` : `upload (${job.area ?? 'primary'})`}</td>
                <td>{STATUS_TEXT[job.status]}</td>
                <td>{job.counts?.created ?? '—'}</td>
                <td>{job.counts?.rejected ?? '—'}</td>
                <td>{formatDateTime(job.startedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {jobs.isSuccess && items.length === 0 && <p>No import yet.</p>}
      {jobs.hasNextPage && (
        <Button onPress={() => void jobs.fetchNextPage()} isDisabled={jobs.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </section>
  );
}
