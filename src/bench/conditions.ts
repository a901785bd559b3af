/**
 * The conditions of a measurement: machine, engine, threads, optimisation level, batch, inputs, warm-up.
 */
import { availableParallelism, arch, cpus, release, type as osType } from 'node:os'
import { providerLabel, type EngineSettings } from './engine.js'
import type { InputSpec } from './inputs.js'
import type { BenchConditions } from './types.js'

/** The machine: CPU model, logical cores, OS, Node version. */
export function machineConditions(): BenchConditions['machine'] {
  return { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), os: `${osType()} ${release()} ${arch()}`, node: process.version }
}

/** Everything a latency figure was taken under. */
export function benchConditions(args: {
  readonly engineVersion: string
  readonly settings: EngineSettings
  readonly batch: number
  readonly specs: readonly InputSpec[]
  readonly warmup: BenchConditions['warmup']
  readonly measure: BenchConditions['measure']
  readonly isolated: boolean
}): BenchConditions {
  return {
    machine: machineConditions(),
    engine: { name: args.settings.engine, version: args.engineVersion, executionProvider: providerLabel(args.settings) },
    intraOpThreads: args.settings.intraOpThreads,
    interOpThreads: args.settings.interOpThreads,
    graphOptimizationLevel: args.settings.graphOptimizationLevel,
    batch: args.batch,
    executionMode: 'sequential',
    inputs: args.specs.map((s) => ({ name: s.name, dtype: s.dtype, dims: [...s.dims] })),
    warmup: args.warmup,
    measure: args.measure,
    timer: 'hrtimeNow',
    isolated: args.isolated,
  }
}
