/**
 * The plugin's options, their defaults, and the update mode of a run.
 */
import { resolve } from 'node:path'
import type { MetricName, UpdateMode } from '../baseline/index.js'
import { checkOptionKeys, optionKeys } from '../_options.js'
import { envWantsUpdate, GATE_BENCH_OPTION_KEYS, TOLERANCE_OPTION_KEYS, type GateBenchOptions, type GateContext, type GateLatencyOptions } from '../matchers/gate-context.js'
import type { Tolerance } from '../report/types.js'
import { ModelgateError } from '../errors.js'

/** Options of {@link modelgate}. */
export interface ModelgateOptions {
  /** Folder of the committed baselines, relative to the project root. @default 'baselines' */
  readonly baselineDir?: string
  /**
   * How the run treats baselines: `all` rewrites entries beyond tolerance, `new` writes missing ones only,
   * `none` never writes (missing entries fail). @default `all` with `vitest run -u`, `vitest run -- --update-baselines`
   * or MODELGATE_UPDATE=1; `none` on CI; else `new`
   */
  readonly update?: UpdateMode
  /** Default tolerance per metric, e.g. `{ params: { relative: 0.01 }, 'latency.p50': { relative: 0.2 } }`. Built-in defaults: exact metrics 0, measured 10 %. */
  readonly tolerance?: Readonly<Partial<Record<MetricName, Tolerance>> & Record<string, Tolerance>>
  /** What `toMatchBaseline()` compares when a call does not say. @default the six exact metrics */
  readonly metrics?: readonly string[]
  /** Compare measured metrics across machines through the runner's calibration workload (else `incomparable`). @default false */
  readonly calibrated?: boolean
  /** Runner defaults for measured matchers (time, iterations, threads, isolate …). @default the runner's */
  readonly bench?: GateBenchOptions
  /**
   * Measured verdicts: the wall-time cap of a paired run against the baseline's bytes (ms per model), the
   * independent sessions recorded when a measured metric is written, and a git ref holding the baseline's model.
   * @default { maxTime: 15000, sessions: 4 }
   */
  readonly latency?: GateLatencyOptions
  /** Folder for `modelgate-report.json` / `.md`, relative to the root; `false` writes and prints no report. @default the root */
  readonly reportDir?: string | false
}

/** The keys of {@link ModelgateOptions}; any other key is refused. */
export const MODELGATE_OPTION_KEYS = optionKeys<ModelgateOptions>({
  baselineDir: true, update: true, tolerance: true, metrics: true, calibrated: true, bench: true, reportDir: true, latency: true,
})
const LATENCY_OPTION_KEYS = optionKeys<GateLatencyOptions>({ maxTime: true, sessions: true, baselineRef: true })

/** The flag after `--` that asks for an update: `vitest run -- --update-baselines`. */
export const UPDATE_FLAG = '--update-baselines'

/** Inputs of {@link resolveUpdateMode}. */
export interface UpdateModeInput {
  /** The plugin option. */
  readonly option?: UpdateMode | undefined
  /** Vitest's snapshot update state (`-u` → all, CI → none, else new). */
  readonly snapshot?: string | undefined
  /** The main process's arguments. */
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * The update mode of a run. The plugin option wins, then an explicit update request (`--update-baselines`
 * after `--`, MODELGATE_UPDATE=1), then Vitest's snapshot state, which already folds in `-u` and CI.
 */
export function resolveUpdateMode(input: UpdateModeInput): UpdateMode {
  if (input.option !== undefined) return input.option
  if (input.argv.includes(UPDATE_FLAG) || envWantsUpdate(input.env)) return 'all'
  if (input.snapshot === 'all' || input.snapshot === 'none') return input.snapshot
  return 'new'
}

/**
 * Checks the options and resolves them into what workers receive.
 * @throws ModelgateError E_GATE_OPTION for a wrong option
 */
export function resolveGateContext(options: ModelgateOptions, root: string, update: UpdateMode): GateContext {
  if (typeof options !== 'object' || options === null) throw new ModelgateError('E_GATE_OPTION', `modelgate(): options must be an object, got ${options === null ? 'null' : typeof options}.`, { value: options })
  checkOptionKeys(options, MODELGATE_OPTION_KEYS, 'modelgate()')
  checkOptionKeys(options.bench, GATE_BENCH_OPTION_KEYS, 'modelgate() options.bench')
  checkOptionKeys(options.latency, LATENCY_OPTION_KEYS, 'modelgate() options.latency')
  if (options.update !== undefined && !['all', 'new', 'none'].includes(options.update)) {
    throw new ModelgateError('E_GATE_OPTION', `modelgate(): update must be 'all', 'new' or 'none', got ${JSON.stringify(options.update)}.`, { value: options.update })
  }
  if (options.baselineDir !== undefined && (typeof options.baselineDir !== 'string' || options.baselineDir === '')) {
    throw new ModelgateError('E_GATE_OPTION', `modelgate(): baselineDir must be a folder path, got ${JSON.stringify(options.baselineDir)}.`, { value: options.baselineDir })
  }
  for (const [metric, t] of Object.entries(options.tolerance ?? {})) {
    checkOptionKeys(t, TOLERANCE_OPTION_KEYS, `modelgate() options.tolerance.${metric}`)
    const bad = typeof t !== 'object' || t === null || Object.entries(t).some(([k, v]) => (k !== 'relative' && k !== 'absolute') || typeof v !== 'number' || !(v >= 0))
    if (bad) throw new ModelgateError('E_GATE_OPTION', `modelgate(): tolerance.${metric} must be { relative?: number ≥ 0, absolute?: number ≥ 0 }, got ${JSON.stringify(t)}.`, { value: t })
  }
  const latency = options.latency
  if (latency !== undefined) {
    const bad = (v: unknown, integer: boolean, min: number): boolean => v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v)))
    if (typeof latency !== 'object' || latency === null || bad(latency.maxTime, false, 1) || bad(latency.sessions, true, 0) || (latency.baselineRef !== undefined && (typeof latency.baselineRef !== 'string' || latency.baselineRef === ''))) {
      throw new ModelgateError('E_GATE_OPTION', `modelgate(): latency must be { maxTime?: ms ≥ 1, sessions?: integer ≥ 0, baselineRef?: a git ref }, got ${JSON.stringify(latency)}.`, { value: latency })
    }
  }
  return {
    ...(latency === undefined ? {} : { latency: { ...latency } }),
    root,
    baselineDir: resolve(root, options.baselineDir ?? 'baselines'),
    update,
    tolerance: { ...(options.tolerance ?? {}) },
    calibrated: options.calibrated === true,
    metrics: [...(options.metrics ?? [])],
    bench: { ...(options.bench ?? {}) },
  }
}
