// Unit tests are pure and fast; integration and e2e tests share one real Temporal dev
// server started by globalSetup and run in band (2 cores, one server).
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
// fastify's inject() pulls in `cookie`, which ships as ESM only; let swc turn it into CommonJS.
const transformIgnorePatterns = ['/node_modules/(?!cookie/)'];

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
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
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
