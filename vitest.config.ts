import { defineConfig } from 'vitest/config';

// Running `npx vitest` at the root runs every project; `npm test` runs them through Nx (cached).
export default defineConfig({
  test: { projects: ['libs/*', 'experiments'] },
});
