/**
 * The layer rule (eslint.config.js `layers`, CONTRIBUTING.md "Layers"): the
 * tree as it is keeps it, and a change that would cross a layer is refused.
 * Linted without type information (the rule needs none), so it takes seconds.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { layers } from '../../eslint.config.js';
import { projectRoot } from '../../infra/stack/bundling.ts';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: projectRoot,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, layers],
  });
});

/** The layer findings for `code`, as if it were the file at `path`. */
async function findings(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(projectRoot, path) });
  return result!.messages.map((m) => `${m.line} ${m.ruleId ?? m.message}`);
}

const sources = (dir: string): string[] =>
  readdirSync(join(projectRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)));

describe('the layers', () => {
  it('hold in the tree as it is: no file under functions/ crosses one', async () => {
    const results = await eslint.lintFiles(sources('functions'));
    expect(results.length).toBeGreaterThan(100);
    expect(results.flatMap((r) => r.messages.map((m) => `${relative(projectRoot, r.filePath)}:${m.line} ${m.message}`))).toEqual([]);
  });

  it('let an edge use core, commons and the API helpers', async () => {
    const code = [
      "import { getUser } from '#core/people.ts';",
      "import { logger } from '#commons/logger.ts';",
      "import { jsonResponse } from '#commons/api/response.ts';",
      "import { idPath } from './schemas.ts';",
      'export const x = [getUser, logger, jsonResponse, idPath];',
    ].join('\n');
    expect(await findings('functions/http/newRoute.ts', code)).toEqual([]);
  });

  it.each([
    ['an edge imports another edge', 'functions/http/newRoute.ts', "import { parseFilter } from '../scim/filter.ts';"],
    ['an edge loads another edge later', 'functions/import/late.ts', "export const later = () => import('../notify/handler.ts');"],
    ['an edge re-exports another edge', 'functions/export/again.ts', "export { ROW_REASONS } from '../import/importOutcome.ts';"],
    ['core imports an edge', 'functions/core/rule.ts', "import { handler } from '../activation/handler.ts';"],
    ['core imports the API helpers', 'functions/core/rule.ts', "import { jsonResponse } from '#commons/api/response.ts';"],
    ['commons imports core', 'functions/commons/helper.ts', "import { invalidRequest } from '#core/errors.ts';"],
    ['an edge imports the manifest', 'functions/scim/catalogue.ts', "import { httpRoutes } from '../manifest.ts';"],
    ['an edge imports the stack', 'functions/notify/stack.ts', "import { projectRoot } from '../../infra/stack/bundling.ts';"],
  ])('refuse a change in which %s', async (_what, path, line) => {
    const found = await findings(path, `${line}\nexport const used = 1;\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^1 boundaries\//);
  });
});
