import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Runs the project's dependency rules (npm run depcheck's config) over a small tree of files. */
function depcheck(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netpilot-depcheck-'));
  try {
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.join(root, 'tsconfig.base.json'), include: ['services'] }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', path.join(root, '.dependency-cruiser.cjs'), 'services'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('dependency rules (npm run depcheck)', () => {
  test('when the files keep the rules, then the check passes', () => {
    const res = depcheck({
      'services/controller/src/modules/x/x.repository.ts': "import pg from 'pg';\nexport const pool = pg.Pool;\n",
      'services/controller/src/modules/x/x.service.ts': "import { pool } from './x.repository';\nexport const s = pool;\n",
      'services/controller/src/modules/x/x.routes.ts': "import { s } from './x.service';\nexport const r = s;\n",
    });
    expect(res.output).toMatch(/no dependency violations/);
    expect(res.status).toBe(0);
  });

  test('when a route imports a repository, then the check fails naming the rule', () => {
    const res = depcheck({
      'services/controller/src/modules/x/x.repository.ts': 'export const find = () => 1;\n',
      'services/controller/src/modules/x/x.routes.ts': "import { find } from './x.repository';\nexport const r = find;\n",
    });
    expect(res.status).not.toBe(0);
    expect(res.output).toMatch(/routes-never-import-repositories/);
  });

  test('when the executor imports pg, then the check fails naming the rule', () => {
    const res = depcheck({ 'services/executor/src/x.ts': "import pg from 'pg';\nexport const p = pg;\n" });
    expect(res.status).not.toBe(0);
    expect(res.output).toMatch(/executor-imports-only-contracts-and-kit/);
  });

  test('when a controller service imports typeorm, then the check fails naming the rule', () => {
    const res = depcheck({ 'services/controller/src/modules/x/x.service.ts': "import { DataSource } from 'typeorm';\nexport const d = DataSource;\n" });
    expect(res.status).not.toBe(0);
    expect(res.output).toMatch(/only-repositories-touch-the-database/);
  });
});
