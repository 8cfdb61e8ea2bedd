import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTROLLER_SETTINGS } from '../services/controller/src/config';
import { EXECUTOR_SETTINGS } from '../services/executor/src/config';

const root = path.resolve(__dirname, '..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

describe('docs match the code', () => {
  const settings = [...new Set([...CONTROLLER_SETTINGS, ...EXECUTOR_SETTINGS])].filter((s) => s !== 'NODE_ENV');

  test('when a service reads a setting, then .env.example documents it', () => {
    const example = read('.env.example');
    expect(settings.filter((s) => !new RegExp(`^#?${s}=`, 'm').test(example))).toEqual([]);
  });

  test('when a service reads a setting, then the README settings table names it', () => {
    const readme = read('README.md');
    expect(settings.filter((s) => !readme.includes(`\`${s}\``))).toEqual([]);
  });

  test('when docker-compose.yml reads a variable, then .env.example documents it', () => {
    const example = read('.env.example');
    const used = [...new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]))];
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((v) => !new RegExp(`^#?${v}=`, 'm').test(example))).toEqual([]);
  });

  test('when a newcomer reads the README in a clone, then every link it has points inside the clone', () => {
    const links = [...read('README.md').matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => l.startsWith('..') || !existsSync(path.join(root, l)))).toEqual([]);
  });

  test('when the README gives the two commands, then package.json has them', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const s of ['start', 'test', 'test:lab', 'test:web', 'migrate', 'migrate:revert', 'cli', 'bench:executor', 'bench:controller', 'typecheck', 'depcheck']) {
      expect(scripts[s]).toEqual(expect.any(String));
    }
  });
});
