import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { loadConfig as loadExecutorConfig } from '../../services/executor/src/config';
import { buildExecutor } from '../../services/executor/src/executor';
import { bearer, strongPassword } from './builders';
import { startControllerProcess, type ControllerProcess } from './controller-process';
import { createFreshDatabase, type FreshDatabase } from './fresh-database';
import { TEST_DESTINATIONS, TEST_EXECUTOR_TOKEN, testLogger } from './stack';

/**
 * What a test that kills controllers needs: a database of its own, an executor in this
 * process, and controller processes started on them (the same settings each time, so a
 * second controller takes over the first one's work). Only the crash handling may repair
 * routers: no drift check runs during the test.
 */
export interface CrashBed {
  db: FreshDatabase;
  /** Starts a controller process (killed at close if still running). */
  startController(): Promise<ControllerProcess>;
  /** The first account (admin) signed in on `controller`: its Authorization header. */
  signUp(controller: ControllerProcess): Promise<{ authorization: string; password: string }>;
  close(): Promise<void>;
}

export async function startCrashBed(env: Record<string, string> = {}): Promise<CrashBed> {
  const db = await createFreshDatabase();
  const executor = buildExecutor({ config: loadExecutorConfig({ NODE_ENV: 'test', EXECUTOR_TOKEN: TEST_EXECUTOR_TOKEN, ...TEST_DESTINATIONS }), logger: testLogger() });
  const executorServer = await new Promise<Server>((resolve) => {
    const s = executor.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const settings = {
    DATABASE_URL: db.url,
    ...TEST_DESTINATIONS,
    EXECUTOR_URL: `http://127.0.0.1:${(executorServer.address() as AddressInfo).port}`,
    EXECUTOR_TOKEN: TEST_EXECUTOR_TOKEN,
    JWT_SECRET: randomBytes(32).toString('hex'),
    NETPILOT_SECRET_KEY: randomBytes(32).toString('hex'),
    JOB_POLL_SECONDS: '0.5',
    RECONCILE_INTERVAL_SECONDS: '3600',
    ...env,
  };
  const controllers: ControllerProcess[] = [];
  return {
    db,
    async startController() {
      const c = await startControllerProcess(settings);
      controllers.push(c);
      return c;
    },
    async signUp(controller) {
      const password = strongPassword();
      const registered = await request(controller.url).post('/api/v1/auth/register').send({ username: 'owner', password });
      if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
      const login = await request(controller.url).post('/api/v1/auth/login').send({ username: 'owner', password });
      return { ...bearer(login.body.accessToken), password };
    },
    async close() {
      for (const c of controllers) await c.kill();
      executor.close();
      await new Promise((r) => executorServer.close(r));
      await db.drop();
    },
  };
}
