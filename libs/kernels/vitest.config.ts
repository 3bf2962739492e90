import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ecode/source'] },
  test: {
    name: 'kernels',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
