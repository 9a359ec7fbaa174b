// Unit tests are pure and fast; integration and e2e tests share one real Temporal dev
// server started by globalSetup and run in band (2 cores, one server).
//
// One transform for every project, since the results store (PGlite) is loaded by the store
// tests and by every test that runs a worker: PGlite's CommonJS build loads Node built-ins
// with import(), which jest's module sandbox refuses without --experimental-vm-modules, so
// swc rewrites those calls to require(). fastify's inject() pulls in `cookie`, which ships
// as ESM only; swc turns it into CommonJS too.
const transform = {
  '^.+\\.(t|j)s$': ['@swc/jest'],
  '^.+/@electric-sql/.+\\.cjs$': ['@swc/jest', { module: { type: 'commonjs' } }],
};
const transformIgnorePatterns = ['/node_modules/(?!cookie/|@electric-sql/)'];
const STORE_TESTS = ['<rootDir>/test/integration/store*.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      // The database store's tests start their own PostgreSQL and PGlite, and no Temporal.
      displayName: 'store',
      testMatch: STORE_TESTS,
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/store'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
  maxWorkers: 1,
  // Integration tests run real servers and workflows; unit tests finish far sooner anyway.
  testTimeout: 120000,
};
