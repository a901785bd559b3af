import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // onnxruntime-node refuses typed arrays from another realm, so the vm pools are out (research/ecosystem.md §2.3).
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
})
