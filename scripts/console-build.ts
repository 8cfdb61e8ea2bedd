/**
 * Builds the web console when its build is missing or older than its sources, so that
 * `npm ci && npm start` serves an up-to-date console without a separate step.
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
export const CONSOLE_PACKAGE = path.join(root, 'packages/web-console');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', 'scripts', 'tsconfig.json'];

async function newestMtime(p: string): Promise<number> {
  const s = await stat(p).catch(() => null);
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of await readdir(p)) newest = Math.max(newest, await newestMtime(path.join(p, entry)));
  return newest;
}

/** Why the console needs building, or null when its build is current. */
export async function consoleBuildReason(): Promise<string | null> {
  const built = await stat(path.join(CONSOLE_PACKAGE, 'dist/index.html')).catch(() => null);
  if (!built) return 'not built yet';
  let sources = 0;
  for (const s of SOURCES) sources = Math.max(sources, await newestMtime(path.join(CONSOLE_PACKAGE, s)));
  return sources > built.mtimeMs ? 'sources changed since the last build' : null;
}

/** Runs `vite build` and the size budget (npm run build in packages/web-console). */
export async function ensureConsoleBuilt(log: (line: string) => void): Promise<void> {
  const reason = await consoleBuildReason();
  if (!reason) return;
  const started = Date.now();
  log(`building the web console (${reason})...`);
  let output = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    // vite's exports map hides its bin; its package.json is public.
    const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [CONSOLE_PACKAGE] })), 'bin/vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: CONSOLE_PACKAGE,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`the web console did not build:\n${output}`);
  const budget = await new Promise<{ code: number | null; out: string }>((resolve) => {
    let out = '';
    const child = spawn(process.execPath, ['scripts/budget.mjs'], { cwd: CONSOLE_PACKAGE, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (c) => resolve({ code: c, out }));
  });
  if (budget.code !== 0) throw new Error(budget.out.trim());
  const size = /initial JavaScript ([\d.]+ KB gzipped)/.exec(budget.out)?.[1];
  log(`web console built in ${Date.now() - started} ms${size ? ` (initial JavaScript ${size})` : ''}`);
}
