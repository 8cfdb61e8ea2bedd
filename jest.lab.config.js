/** The real-router lab (SPEC §6): root, network namespaces, OpenSSH, nftables/iptables, dnsmasq. Run with --runInBand. */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/lab/**/*.lab.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testTimeout: 120000,
};
