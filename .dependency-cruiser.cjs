/** The dependency rule of SPEC section 1, enforced by a tool rather than by hope. */
module.exports = {
  forbidden: [
    {
      name: 'contracts-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^packages/contracts/src' },
      to: { path: '^(packages/(executor-client|router-sim)|services)/' },
    },
    {
      name: 'executor-client-imports-only-contracts',
      severity: 'error',
      from: { path: '^packages/executor-client/src' },
      to: { path: '^(packages/router-sim|services)/' },
    },
    {
      name: 'controller-never-imports-executor-code',
      severity: 'error',
      from: { path: '^services/controller/src' },
      to: { path: '^(services/executor|packages/router-sim)/' },
    },
    {
      name: 'executor-imports-only-contracts',
      severity: 'error',
      comment: 'The executor is stateless: no database, no controller code.',
      from: { path: '^services/executor/src' },
      to: { path: '^(services/controller|packages/(executor-client|router-sim)|migrations)/|node_modules/(typeorm|pg)/' },
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
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
    preserveSymlinks: false,
  },
};
