import { defineConfig } from 'vitest/config';

// The example's own test run: `npx vitest run` in this folder (imsmap's CI runs it the same way).
export default defineConfig({
  test: {
    include: ['*.test.ts'],
  },
});
