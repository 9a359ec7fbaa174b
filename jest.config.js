// Unit tests are pure and fast; integration and e2e tests share one real Temporal dev
// server started by globalSetup and run in band (2 cores, one server).
const transform = { '^.+\\.(t|m?j)s$': ['@swc/jest'] }; // .mjs: d3's main file
// fastify's inject() pulls in `cookie`, which ships as ESM only; let swc turn it into CommonJS.
// So do the report charts' Observable Plot (with d3) and linkedom's css-select (src/reports/esm-loader.ts).
const REPORT_ESM =
  'd3|internmap/|delaunator/|robust-predicates/|isoformat/|@observablehq/|css-select/|css-what/|cssomnom/|entities/|domelementtype/|domhandler/|domutils/|dom-serializer/|nth-check/|boolbase/';
const transformIgnorePatterns = [`/node_modules/(?!cookie/|${REPORT_ESM})`];
const STORE_TESTS = ['<rootDir>/test/integration/store*.test.ts'];
// PGlite's CommonJS build loads Node built-ins with import(), which jest's module sandbox
// refuses without --experimental-vm-modules; swc rewrites those calls to require().
const storeTransform = { ...transform, '^.+/@electric-sql/.+\\.cjs$': ['@swc/jest', { module: { type: 'commonjs' } }] };
const storeTransformIgnorePatterns = ['/node_modules/(?!cookie/|@electric-sql/)'];

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
      transform: storeTransform,
      transformIgnorePatterns: storeTransformIgnorePatterns,
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
