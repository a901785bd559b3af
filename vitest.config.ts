import { defineConfig } from 'vitest/config'
import { modelgate } from './src/vitest/index.js'

export default defineConfig({
  // Dogfooding: the gate's own plugin registers the matchers and the reporter that writes baselines/.
  plugins: [modelgate()],
  test: {
    include: ['test/**/*.test.ts'],
    // onnxruntime-node refuses typed arrays from another realm, so the vm pools are out (research/ecosystem.md §2.3).
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 600_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
