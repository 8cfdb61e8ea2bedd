import { readFileSync } from 'node:fs';
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

  test('when the README gives the two commands, then package.json has them', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const s of ['start', 'test', 'test:lab', 'migrate', 'migrate:revert', 'cli', 'bench:executor', 'bench:controller', 'typecheck', 'depcheck']) {
      expect(scripts[s]).toEqual(expect.any(String));
    }
  });
});
