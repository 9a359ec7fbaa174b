// Unit tests are pure and fast; integration and e2e tests share one real Temporal dev
// server started by globalSetup and run in band (2 cores, one server).
//
// One transform for every project, since the results store (PGlite) is loaded by the store
// tests and by every test that runs a worker: PGlite's CommonJS build loads Node built-ins
// with import(), which jest's module sandbox refuses without --experimental-vm-modules, so
// swc rewrites those calls to require(). ESM-only packages are compiled to CommonJS too:
// fastify's inject() pulls in `cookie`, and the report charts need Observable Plot (with d3,
// whose main file is .mjs) and linkedom's css-select (src/reports/esm-loader.ts).
const transform = {
  '^.+\\.(t|m?j)s$': ['@swc/jest'],
  '^.+/@electric-sql/.+\\.cjs$': ['@swc/jest', { module: { type: 'commonjs' } }],
};
const REPORT_ESM =
  'd3|internmap/|delaunator/|robust-predicates/|isoformat/|@observablehq/|css-select/|css-what/|cssomnom/|entities/|domelementtype/|domhandler/|domutils/|dom-serializer/|nth-check/|boolbase/';
const transformIgnorePatterns = [`/node_modules/(?!cookie/|@electric-sql/|${REPORT_ESM})`];
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
      // The fault suite's fast scenarios (~1 min) run here too, so `npm test` (and CI) keep them.
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/faults/**/*.fast.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/store'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
    {
      // The fault suite (`npm run test:faults`): real processes killed and restarted, each
      // scenario checked by test/faults/invariants.ts; its teardown prints the table.
      // `npm test` leaves it out (--ignoreProjects faults) and runs only its *.fast.test.ts.
      // test:faults runs two files at once (--maxWorkers=2): scenarios mostly wait (backoffs,
      // heartbeat timeouts, cloro's queue-full minute), each on a stack of its own (PostgreSQL,
      // simulator, bridge, task queue) beside the shared Temporal server — ~3.5 min, not 6.
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
    },
  ],
  maxWorkers: 1,
  // Integration tests run real servers and workflows; unit tests finish far sooner anyway.
  testTimeout: 120000,
};
