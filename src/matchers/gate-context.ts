/**
 * The gate's options as the workers see them: resolved by the plugin in the main process and carried to the
 * workers with `project.provide('modelgate', …)`. Types and pure helpers only (the plugin loads this file in the
 * main process, where nothing of Vitest's runtime should be imported).
 */
import type { UpdateMode } from '../baseline/index.js'
import { optionKeys } from '../_options.js'
import type { BenchOptions } from '../bench/index.js'
// the key list only: bench/types.ts is pure, unlike the runner behind bench/index.ts
import { BENCH_OPTION_KEYS } from '../bench/types.js'
import type { Tolerance } from '../report/types.js'

/** The key under which the plugin provides {@link GateContext} to workers. */
export const PROVIDE_KEY = 'modelgate'

/** Runner options the plugin may set for every measured matcher (JSON-serialisable ones only). */
export type GateBenchOptions = Omit<BenchOptions, 'onProgress' | 'inputs' | 'shapes' | 'dims' | 'batch'>

/** How measured verdicts get their evidence (see the README: how latency verdicts are made). */
export interface GateLatencyOptions {
  /** Wall-time cap of a paired run against the baseline's bytes, ms per model. @default 15000 */
  readonly maxTime?: number
  /** Independent sessions (child processes) measured, besides the test's own, when a measured metric is written. @default 4 */
  readonly sessions?: number
  /** A git ref holding the baseline's model (e.g. `origin/main`), when its blob is not otherwise in the clone. Env: MODELGATE_BASELINE_REF. */
  readonly baselineRef?: string
}

const { onProgress: _onProgress, inputs: _inputs, shapes: _shapes, dims: _dims, batch: _batch, ...GATE_BENCH_KEYS } = BENCH_OPTION_KEYS
/** The keys of {@link GateBenchOptions} (the plugin's `bench`); any other key is refused. */
export const GATE_BENCH_OPTION_KEYS = optionKeys<GateBenchOptions>(GATE_BENCH_KEYS)

/** The keys of a {@link Tolerance} (plugin and matcher options alike); any other key is refused. */
export const TOLERANCE_OPTION_KEYS = optionKeys<Tolerance>({ relative: true, absolute: true })

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
  /** Paired runs and recorded sessions of measured metrics. @default { maxTime: 15000, sessions: 4 } */
  readonly latency?: GateLatencyOptions
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
