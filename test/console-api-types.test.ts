import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '..');

describe("the console's API client", () => {
  test("when the controller's OpenAPI document changes, then the console's generated types must be regenerated to match", async () => {
    // Regenerates the types from the document the controller serves and compares them with the committed file.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/console-api-types.ts', '--check'], { cwd: root });
    expect(stdout).toContain('console API types match the controller');
  }, 60_000);
});
