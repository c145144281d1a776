/**
 * Each function's access lists (functions/manifest.ts) against the
 * AWS calls its code makes: every function is bundled as the stack bundles it,
 * but readable (not minified), and the SDK commands in Seatkeeper's own code
 * that esbuild kept (tree-shaking drops what the function never imports) are
 * mapped to IAM actions on the table their module names. A call the lists do
 * not cover fails here, before a deployed function fails with AccessDenied;
 * so does an action no kept code calls. S3 calls are compared per function
 * (prefixes: the last tests); grants.ts checks the template against the lists.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOBS_BY_KIND_INDEX, PEOPLE_ADMINS_INDEX, USERS_BY_AREA_INDEX, USERS_BY_EXTERNAL_ID_INDEX } from '#core/tables.ts';
import { splitTableActions, type TableAction } from '#core/tableAccess.ts';
import { IMPORT_PREFIXES, reportKeyFor } from '#core/importKeys.ts';
import { EXPORT_KEY_PREFIX } from '../../functions/export/peopleExport.ts';
import { esbuildOptions, projectRoot } from '../../infra/stack/bundling.ts';
import { allFunctionSpecs, importSpec, notifySpec, type FunctionSpec, httpFunctionSpecs } from '../../functions/manifest.ts';

/** SDK commands (lib-dynamodb, client-dynamodb, client-s3, client-ses, client-lambda) → the IAM actions they need. */
const COMMAND_ACTIONS: Record<string, string[]> = {
  GetCommand: ['dynamodb:GetItem'],
  GetItemCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  PutItemCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  UpdateItemCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  DeleteItemCommand: ['dynamodb:DeleteItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  // Authorized per item: the item kinds found next to it (see TRANSACTION_ITEMS).
  TransactWriteCommand: [],
  TransactGetCommand: ['dynamodb:GetItem'],
  GetObjectCommand: ['s3:GetObject'],
  PutObjectCommand: ['s3:PutObject'],
  SendEmailCommand: ['ses:SendEmail'],
  SendRawEmailCommand: ['ses:SendRawEmail'],
  InvokeCommand: ['lambda:InvokeFunction'],
};
const PAGINATOR_ACTIONS: Record<string, string[]> = { paginateQuery: ['dynamodb:Query'], paginateScan: ['dynamodb:Scan'] };
const TRANSACTION_ITEMS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};
/** @aws-sdk/lib-storage's Upload: a multipart upload (PutObject for each step) that aborts itself on failure. */
const UPLOAD_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'];
/** Powertools idempotency's DynamoDB persistence layer (its own GetItem/PutItem/UpdateItem/DeleteItem commands). */
const IDEMPOTENCY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const INDEX_NAMES: Record<string, string> = {
  USERS_BY_AREA_INDEX,
  PEOPLE_ADMINS_INDEX,
  USERS_BY_EXTERNAL_ID_INDEX,
  JOBS_BY_KIND_INDEX,
};

/**
 * Calls kept code contains but the function can never make, so they are not granted; each says why.
 * Tree-shaking keeps whole functions: core's user write builds puts and deletes in one function, a
 * listing reads one area or all of them.
 */
const UNREACHABLE: Record<string, Record<string, string>> = {
  createUser: { 'users dynamodb:DeleteItem': 'a create deletes nothing (there is no user before it)' },
  updateUser: {
    'users dynamodb:DeleteItem': 'HTTP updates cannot change the email (updateUserBody has none), so no email guard is deleted',
  },
  blockUser: { 'users dynamodb:DeleteItem': 'a block changes only the state: the user is put, never deleted' },
  unblockUser: { 'users dynamodb:DeleteItem': 'an unblock changes only the state: the user is put, never deleted' },
  deleteUser: { 'users dynamodb:PutItem': 'a delete puts nothing (there is no user after it)' },
  scimDeleteUser: { 'users dynamodb:PutItem': 'a delete puts nothing (there is no user after it)' },
  scimCreateUser: {
    'jobs dynamodb:PutItem': "a directory's create carries no retry key, so core writes no retry record (core/retryRecord.ts)",
  },
  scimListUsers: { 'seats dynamodb:GetItem': "a directory's list reads every area (areasToRead() without an area: a scan)" },
  import: { 'users dynamodb:DeleteItem': 'sync runs block users (a put), never delete them' },
};

interface CodeCalls {
  /** "<table> dynamodb:<action>" for DynamoDB (the table its module names), "s3:…"/"ses:…" for the others. */
  actions: Set<string>;
  indexes: Set<string>;
  /** Commands the mapping does not know, or whose table cannot be told: the test must learn them. */
  unknown: Set<string>;
  /** How many of Seatkeeper's own modules the bundle holds (a sanity check of the parsing). */
  modules: number;
}

/** The function bundled as the stack bundles it, but readable, so kept calls can be read off. */
async function codeCalls(spec: FunctionSpec): Promise<CodeCalls> {
  const result = await build({
    ...esbuildOptions(join(projectRoot, spec.entry), join(projectRoot, 'cdk.out', 'calls', spec.name)),
    minify: false,
    sourcemap: false,
    write: false,
    absWorkingDir: projectRoot,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))!.text;
  // esbuild starts each module's code with a "// <path>" line; ours are under functions/.
  const ours = code.split(/\n(?=\/\/ (?:functions|node_modules)\/)/).filter((section) => section.startsWith('// functions/'));
  const calls: CodeCalls = { actions: new Set(), indexes: new Set(), unknown: new Set(), modules: ours.length };
  const transactions = ours.some((section) => /\bnew TransactWriteCommand\d*\(/.test(section));
  for (const section of ours) {
    const file = section.slice(3, section.indexOf('\n'));
    // Each of our modules that calls DynamoDB names one table (tableName('…')); its calls are on that table.
    const tables = new Set([...section.matchAll(/\btableName\d*\("(\w+)"\)/g)].map((m) => m[1]!));
    const onTable = (actions: string[], what: string) => {
      if (tables.size !== 1) calls.unknown.add(`${what} in ${file} (tables: ${[...tables].join(', ') || 'none'})`);
      for (const table of tables) actions.forEach((a) => calls.actions.add(`${table} ${a}`));
    };
    for (const [, command] of section.matchAll(/\bnew (\w+Command)\d*\(/g)) {
      const actions = COMMAND_ACTIONS[command!];
      if (!actions) calls.unknown.add(command!);
      else if (command === 'TransactWriteCommand')
        continue; // authorized per item, below
      else if (actions[0]!.startsWith('dynamodb:')) onTable(actions, command!);
      else actions.forEach((a) => calls.actions.add(a));
      if (command === 'GetObjectCommand' && /\bVersionId\b/.test(section)) calls.actions.add('s3:GetObjectVersion');
    }
    if (transactions) {
      for (const [, kind] of section.matchAll(/\b(Put|Update|Delete|ConditionCheck): \{/g))
        onTable([TRANSACTION_ITEMS[kind!]!], `transaction ${kind}`);
    }
    for (const [, paginator] of section.matchAll(/\b(paginate\w+?)\d*\(/g)) {
      if (PAGINATOR_ACTIONS[paginator!]) onTable(PAGINATOR_ACTIONS[paginator!]!, paginator!);
      else calls.unknown.add(paginator!);
    }
    if (/\bnew Upload\d*\(/.test(section)) UPLOAD_ACTIONS.forEach((a) => calls.actions.add(a));
    for (const [, constant] of section.matchAll(/\bIndexName: (\w+?)\d*\b/g)) {
      const name = INDEX_NAMES[constant!];
      if (name) calls.indexes.add(name);
      else calls.unknown.add(`IndexName: ${constant}`);
    }
  }
  // Every HTTP bundle holds the idempotency middleware (jobs table); only handlers built with { idempotent: true } run it.
  const entrySource = readFileSync(join(projectRoot, spec.entry), 'utf8');
  if (/idempotent: true/.test(entrySource)) IDEMPOTENCY_ACTIONS.forEach((a) => calls.actions.add(`jobs ${a}`));
  return calls;
}

/** What the spec grants, in the same terms (a Query of an index counts as a Query on its table). */
function granted(spec: FunctionSpec): { actions: Set<string>; indexes: Set<string> } {
  const actions = new Set<string>();
  const indexes = new Set<string>();
  for (const [table, list] of Object.entries(spec.tables) as [string, readonly TableAction[]][]) {
    const split = splitTableActions(list);
    split.actions.forEach((action) => actions.add(`${table} dynamodb:${action}`));
    split.indexes.forEach((index) => indexes.add(index));
    if (split.indexes.length > 0) actions.add(`${table} dynamodb:Query`);
  }
  for (const prefixes of Object.values(spec.buckets ?? {})) {
    for (const list of Object.values(prefixes as Record<string, readonly string[]>)) list.forEach((a) => actions.add(`s3:${a}`));
  }
  // SES is granted with the notifier's trigger (eventFunctions.ts): SendEmail on the sender identity.
  if (spec.name === notifySpec.name) actions.add('ses:SendEmail');
  if (spec.invokes?.length) actions.add('lambda:InvokeFunction');
  return { actions, indexes };
}

const calls = new Map<string, CodeCalls>();
beforeAll(async () => {
  const found = await Promise.all(allFunctionSpecs.map(codeCalls));
  allFunctionSpecs.forEach((spec, i) => calls.set(spec.name, found[i]!));
}, 300_000);

describe('each function’s access lists match the calls its code makes', () => {
  it.each(allFunctionSpecs.map((spec) => [spec.name, spec] as const))('%s', (name, spec) => {
    const found = calls.get(name)!;
    expect([...found.unknown], 'commands the mapping above does not know').toEqual([]);
    if (Object.keys(spec.tables).length > 0) expect(found.modules).toBeGreaterThan(0);
    const { actions, indexes } = granted(spec);
    const unreachable = UNREACHABLE[name] ?? {};
    // Nothing granted that no kept code calls (a table's Query: of the table or of an index).
    expect([...actions].filter((a) => !found.actions.has(a)).toSorted(), 'granted but never called').toEqual([]);
    // Everything called is granted, but for the calls listed as unreachable (and those must really be missing).
    expect([...found.actions].filter((a) => !actions.has(a)).toSorted(), 'called but not granted').toEqual(
      Object.keys(unreachable).toSorted(),
    );
    expect([...indexes].toSorted(), 'indexes queried').toEqual([...found.indexes].toSorted());
  });

  it('every exception names a function of the catalog', () => {
    expect(Object.keys(UNREACHABLE).filter((name) => !allFunctionSpecs.some((spec) => spec.name === name))).toEqual([]);
  });
});

describe('bucket prefixes are the keys the code uses', () => {
  it('the import function reads what S3 notifies it of and writes its reports under reports/', () => {
    const prefixes = importSpec.buckets!.imports!;
    const read = Object.entries(prefixes)
      .filter(([, actions]) => actions.includes('GetObject'))
      .map(([prefix]) => prefix);
    expect(read.toSorted()).toEqual([...IMPORT_PREFIXES].toSorted());
    const written = Object.entries(prefixes)
      .filter(([, actions]) => actions.includes('PutObject'))
      .map(([prefix]) => prefix);
    expect(written).toEqual(['reports/']);
    expect(reportKeyFor('imports/primary/people.csv', 'u1').startsWith(written[0]!)).toBe(true);
  });

  it('createImportUpload presigns uploads into the import prefixes only; getImport reads reports only', () => {
    const spec = (name: string) => httpFunctionSpecs.find((s) => s.name === name)!;
    expect(Object.keys(spec('createImportUpload').buckets!.imports!).toSorted()).toEqual([...IMPORT_PREFIXES].toSorted());
    expect(spec('getImport').buckets).toEqual({ imports: { 'reports/': ['GetObject'] } });
    expect(Object.keys(spec('exportPeople').buckets!.exports!)).toEqual([EXPORT_KEY_PREFIX]);
  });
});
