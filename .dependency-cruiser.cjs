/** The dependency rule of SPEC section 1, enforced by a tool rather than by hope. */

// Tests may wire real parts together (the simulator, the executor app); production code may not.
const TESTS = '\\.test\\.ts$';
module.exports = {
  forbidden: [
    {
      name: 'contracts-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^packages/contracts/src', pathNot: TESTS },
      to: { path: '^(packages/(executor-client|router-sim)|services)/' },
    },
    {
      name: 'executor-client-imports-only-contracts',
      severity: 'error',
      from: { path: '^packages/executor-client/src', pathNot: TESTS },
      to: { path: '^(packages/router-sim|services)/' },
    },
    {
      name: 'controller-never-imports-executor-code',
      severity: 'error',
      from: { path: '^services/controller/src', pathNot: TESTS },
      to: { path: '^(services/executor|packages/router-sim)/' },
    },
    {
      name: 'executor-imports-only-contracts-and-kit',
      severity: 'error',
      comment: 'The executor is stateless: no database, no controller code.',
      from: { path: '^services/executor/src', pathNot: TESTS },
      to: { path: '^(services/controller|packages/(executor-client|router-sim)|migrations)/|node_modules/(typeorm|pg|pg-pool)/' },
    },
    {
      name: 'only-repositories-touch-the-database',
      severity: 'error',
      comment: 'Services and routes reach PostgreSQL through repositories; db/ owns the pool, entities describe tables.',
      from: { path: '^services/controller/src', pathNot: `${TESTS}|\\.(repository|entity)\\.ts$|^services/controller/src/db/` },
      to: { path: 'node_modules/(typeorm|pg|pg-pool)/' },
    },
    {
      name: 'routes-never-import-repositories',
      severity: 'error',
      comment: 'A route validates, calls a service and shapes the answer; rules and data access live below it.',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'web-console-imports-no-server-code',
      severity: 'error',
      comment: 'The console reaches the controller over HTTP only; its API types are generated from the OpenAPI document.',
      from: { path: '^packages/web-console/' },
      to: { path: '^(services|migrations)/|^packages/(contracts|executor-client|router-sim)/|node_modules/(express|typeorm|pg|ssh2)/' },
    },
    {
      name: 'production-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(packages|services)/[^/]+/src', pathNot: '\\.test\\.ts$' },
      to: { path: '(^test/|\\.test\\.ts$|^lab/|^bench/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
    preserveSymlinks: false,
  },
};
