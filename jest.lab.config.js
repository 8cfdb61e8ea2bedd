/** The real-router lab (SPEC §6): root, network namespaces, OpenSSH, nftables/iptables, dnsmasq. Run with --runInBand. */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/lab/**/*.lab.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // The end-to-end lab tests run the controller too, on the same real PostgreSQL setup as npm test.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 120000,
};
