import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: the end-to-end tests spawn real `synth` processes, so keep file-level parallelism modest.
    maxWorkers: 2,
  },
});
