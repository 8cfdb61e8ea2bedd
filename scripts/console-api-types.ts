/**
 * Writes the web console's API types (packages/web-console/src/api/schema.d.ts) from the
 * controller's OpenAPI document, so the console's client is typed by the API it calls.
 * `--check` fails instead when the committed file differs (npm test runs that).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createApp } from '../services/controller/src/app';
import { loadConfig } from '../services/controller/src/config';
import { createDatabase } from '../services/controller/src/db/database';
import { createLogger } from '@netpilot/service-kit';
import { ExecutorClient } from '@netpilot/executor-client';

const target = path.resolve(__dirname, '../packages/web-console/src/api/schema.d.ts');

/** The document as the controller serves it; building the app opens no connection. */
async function controllerOpenApi(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://unused:unused@127.0.0.1:1/unused',
    EXECUTOR_TOKEN: 'x'.repeat(32),
    JWT_SECRET: 'x'.repeat(32),
    NETPILOT_SECRET_KEY: '0'.repeat(64),
  });
  const db = createDatabase(config.databaseUrl);
  const app = createApp({
    config,
    logger: createLogger({ level: 'silent', format: 'json', service: 'api-types' }),
    db,
    executor: new ExecutorClient({ baseUrl: config.executorUrl, token: config.executorToken }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const { port } = server.address() as { port: number };
    return (await (await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).json()) as Record<string, unknown>;
  } finally {
    server.close();
    await db.close();
  }
}

export async function renderApiTypes(): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const doc = await controllerOpenApi();
  const body = astToString(await openapiTS(doc as never, { alphabetize: true }));
  return `/* Generated from the controller's /api/v1/openapi.json by \`npm run console:api-types\`; do not edit. */\n${body}`;
}

async function main(): Promise<void> {
  const text = await renderApiTypes();
  if (process.argv.includes('--check')) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write(`${path.relative(process.cwd(), target)} does not match the controller's API: run npm run console:api-types\n`);
      process.exit(1);
    }
    process.stdout.write('console API types match the controller\n');
    return;
  }
  await writeFile(target, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
