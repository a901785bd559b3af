/**
 * `modelgate/vitest`: the Vitest plugin. `plugins: [modelgate()]` in vitest.config.ts registers the matchers
 * (a setup file), the reporter (the single writer of baselines) and the options, which reach the workers
 * through `project.provide`.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vitest/config'
import '../matchers/augment.js'
import { PROVIDE_KEY } from '../matchers/gate-context.js'
import { resolveGateContext, resolveUpdateMode, type ModelgateOptions } from './options.js'
import ModelgateReporter, { MODELGATE_REPORTER } from './reporter.js'

export type { ModelgateOptions } from './options.js'
export { resolveUpdateMode, UPDATE_FLAG } from './options.js'
export { default as ModelgateReporter, UPDATE_COMMAND } from './reporter.js'
export type { ModelgateReporterOptions } from './reporter.js'
// Types only: this module loads in the main process, where the matchers' runtime (vitest, onnxruntime) is not wanted.
export type { GateContext, GateBenchOptions, MatchBaselineOptions, FasterThanOptions, MeasureOptions, RunUnderOptions, LatencyPercentile, ModelgateMatchers } from '../matchers/index.js'

/** The setup file next to this module: `.ts` when run from source, `.js` from the build. */
function setupFile(): string {
  const ts = fileURLToPath(new URL('./setup.ts', import.meta.url))
  return import.meta.url.endsWith('.ts') && existsSync(ts) ? ts : fileURLToPath(new URL('./setup.js', import.meta.url))
}

function hasModelgateReporter(reporters: readonly unknown[]): boolean {
  return reporters.some((r) => {
    if (typeof r === 'object' && r !== null && MODELGATE_REPORTER in r) return true
    const name = Array.isArray(r) ? r[0] : r
    return typeof name === 'string' && (name === 'modelgate/reporter' || name.endsWith('/vitest/reporter.js') || name.endsWith('/vitest/reporter.ts'))
  })
}

/**
 * The modelgate Vitest plugin.
 * @param options baseline folder, update mode, tolerances, default metrics, runner defaults, report folder
 * @returns a Vite plugin for `plugins` in vitest.config.ts
 * @example
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config'
 * import { modelgate } from 'modelgate/vitest'
 * export default defineConfig({ plugins: [modelgate()], test: { pool: 'forks' } })
 */
export function modelgate(options: ModelgateOptions = {}): Plugin {
  // Fail on bad options when the config loads, not at the first test.
  resolveGateContext(options, process.cwd(), 'new')
  return {
    name: 'modelgate',
    config() {
      return { test: { setupFiles: [setupFile()] } }
    },
    configureVitest({ vitest, project }) {
      const update = resolveUpdateMode({ option: options.update, snapshot: vitest.config.snapshotOptions.updateSnapshot, argv: process.argv, env: process.env })
      const context = resolveGateContext(options, vitest.config.root, update)
      project.provide(PROVIDE_KEY, context)
      // Added here rather than in `config`, so `--reporter=…` on the command line cannot drop the baseline writer.
      if (!hasModelgateReporter(vitest.config.reporters)) {
        vitest.config.reporters.push(new ModelgateReporter({ context, reportDir: options.reportDir ?? '.' }))
      }
    },
  }
}

export default modelgate
