import { loadConfig as loadControllerConfig } from '../services/controller/src/config';
import { loadConfig as loadExecutorConfig, worstCaseActionMs } from '../services/executor/src/config';
import { checkTimeouts } from '../scripts/launcher';

const controllerEnv = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/x', EXECUTOR_TOKEN: 'x'.repeat(32), JWT_SECRET: 'y'.repeat(32), NETPILOT_SECRET_KEY: 'ab'.repeat(32) };

describe("the controller's executor timeout", () => {
  test("when both services run on their defaults, then the controller waits longer than the executor's worst case", () => {
    const controller = loadControllerConfig(controllerEnv);
    const executor = loadExecutorConfig({ EXECUTOR_TOKEN: 'x'.repeat(32) });
    expect(controller.executorTimeoutMs).toBeGreaterThan(worstCaseActionMs(executor));
    expect(() => checkTimeouts(controller, executor)).not.toThrow();
  });

  test('when the executor may take longer than the controller waits, then npm start refuses, naming the settings', () => {
    const controller = loadControllerConfig({ ...controllerEnv, EXECUTOR_TIMEOUT_MS: '30000' });
    const executor = loadExecutorConfig({ EXECUTOR_TOKEN: 'x'.repeat(32), ACTION_TIMEOUT_MS: '15000', SSH_CONNECT_TIMEOUT_MS: '10000' });
    expect(() => checkTimeouts(controller, executor)).toThrow(/EXECUTOR_TIMEOUT_MS \(30000\).*SSH_CONNECT_TIMEOUT_MS.*ACTION_TIMEOUT_MS = 50000/);
  });
});
