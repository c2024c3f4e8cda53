import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // One DynamoDB Local + s3rver per run; test files get isolated tables/buckets from it
    // (test/support/isolatedResources.ts).
    globalSetup: ['test/setup/localParts.globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
