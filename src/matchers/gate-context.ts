/**
 * The gate's options as the workers see them: resolved by the plugin in the main process and carried to the
 * workers with `project.provide('modelgate', …)`. Types and pure helpers only (the plugin loads this file in the
 * main process, where nothing of Vitest's runtime should be imported).
 */
import type { UpdateMode } from '../baseline/index.js'
import type { BenchOptions } from '../bench/index.js'
import type { Tolerance } from '../report/types.js'

/** The key under which the plugin provides {@link GateContext} to workers. */
export const PROVIDE_KEY = 'modelgate'

/** Runner options the plugin may set for every measured matcher (JSON-serialisable ones only). */
export type GateBenchOptions = Omit<BenchOptions, 'onProgress' | 'inputs' | 'shapes' | 'dims' | 'batch'>

/** The gate's options as the workers see them (resolved, JSON-serialisable). */
export interface GateContext {
  /** Project root (absolute): model paths in baselines are relative to it. */
  readonly root: string
  /** Baseline folder (absolute). */
  readonly baselineDir: string
  readonly update: UpdateMode
  /** Metric → default tolerance (over the built-in table). */
  readonly tolerance: Readonly<Record<string, Tolerance>>
  /** Compare measured metrics across machines through the runner's calibration. */
  readonly calibrated: boolean
  /** What `toMatchBaseline()` checks when `metrics` is not given. */
  readonly metrics: readonly string[]
  /** Defaults for the runner in measured matchers. */
  readonly bench: GateBenchOptions
}

declare module 'vitest' {
  interface ProvidedContext {
    modelgate: GateContext
  }
}

/** True when the environment asks for an update (MODELGATE_UPDATE=1 / true). */
export function envWantsUpdate(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = env.MODELGATE_UPDATE
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false'
}
