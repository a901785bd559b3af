/**
 * `estimateLatency`: the static analysis at the given shapes, run through the roofline of a device profile.
 * The result is always labelled `estimated`: it is arithmetic on a spec sheet (or on this machine's
 * micro-benchmarks), not a measurement.
 */
import { checkOptionKeys, optionKeys } from '../_options.js'
import { ModelgateError } from '../errors.js'
import { toModelHandle, type ModelRef } from '../model/index.js'
import { CALIBRATE_OPTION_KEYS, calibrateThisMachine, type CalibrateOptions } from './calibrate.js'
import { builtInProfile, deviceIds, THIS_MACHINE, validateProfile, type DeviceProfile } from './profiles.js'
import { roofline, type NodeBound } from './roofline.js'

/** Options of {@link estimateLatency}. */
export interface EstimateOptions extends CalibrateOptions {
  /** A built-in device id (`raspberry-pi-5`, `jetson-orin-nano`, `phone-big-core`, `apple-m2`), `this-machine`, or a profile. */
  readonly device: string | DeviceProfile
  /** Input shapes. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  /** Symbolic dim sizes. */
  readonly dims?: Readonly<Record<string, number>>
  /** How many dominating nodes to list. @default 5 */
  readonly top?: number
}

/** The keys of {@link EstimateOptions}; any other key is refused. */
export const ESTIMATE_OPTION_KEYS = optionKeys<EstimateOptions>({ ...CALIBRATE_OPTION_KEYS, device: true, shapes: true, dims: true, top: true })

/** A node that dominates the estimate. */
export interface DominatingNode {
  readonly name: string
  readonly opType: string
  readonly ms: number
  /** Fraction of the estimated total. */
  readonly share: number
  readonly bound: NodeBound
}

/** A latency estimate. */
export interface LatencyEstimate {
  readonly kind: 'estimated'
  readonly model: string
  /** The estimated latency of one inference at the analysed shapes, ms. */
  readonly latencyMs: number
  /** Where the time goes: nodes bound by compute, by memory, and the fixed overheads (per node and per run). */
  readonly breakdownMs: { readonly compute: number; readonly memory: number; readonly overhead: number }
  readonly profile: DeviceProfile
  /** Threads the estimate assumed (compute scales ideally up to the profile's cores). */
  readonly threads: number
  readonly nodes: number
  readonly dominating: readonly DominatingNode[]
  /** Nodes no cost rule covers: left out, so `latencyMs` is a lower bound when any are listed. */
  readonly unestimated: readonly { readonly name: string; readonly opType: string }[]
  readonly isLowerBound: boolean
  /** What the estimate is and what it ignores, in words. */
  readonly note: string
}

/** What every estimate ignores; shown with it. */
export const ESTIMATE_NOTE = 'Roofline estimate, not a measurement: per node max(FLOPs ÷ peak compute, bytes ÷ memory bandwidth) + a fixed overhead, summed in execution order. ' +
  'It ignores operator fusion, caches (every byte is charged at memory bandwidth), kernel efficiency below peak, thermal throttling and NPU/graph compilers.'

/**
 * Resolves `device` to a profile: a built-in one, the measured `this-machine` one, or a given profile (validated).
 * @throws ModelgateError E_DEVICE_PROFILE for an unknown id or a bad profile
 */
export async function resolveProfile(device: EstimateOptions['device'], options: CalibrateOptions = {}): Promise<DeviceProfile> {
  if (typeof device === 'string') {
    if (device === THIS_MACHINE) return calibrateThisMachine(options)
    const found = builtInProfile(device)
    if (found === undefined) throw new ModelgateError('E_DEVICE_PROFILE', `Unknown device ${JSON.stringify(device)}; known: ${deviceIds().join(', ')}.`, { value: device })
    return found
  }
  return validateProfile(device)
}

/**
 * Estimates the latency of one inference of a model on a device, without the device.
 * @param model a path to an .onnx file or a handle from `loadModel()`
 * @param options the device, shapes/dims, threads
 * @returns an estimate labelled as such, with the profile used and the nodes that dominate it
 * @throws ModelgateError E_DEVICE_PROFILE, E_UNRESOLVED_DIM (a symbolic dim left), and the analysis's errors
 */
export async function estimateLatency(model: ModelRef, options: EstimateOptions): Promise<LatencyEstimate> {
  checkOptionKeys(options, ESTIMATE_OPTION_KEYS, 'estimateLatency()')
  if (typeof options !== 'object' || options === null || options.device === undefined) {
    throw new ModelgateError('E_DEVICE_PROFILE', `estimateLatency needs { device }, one of ${deviceIds().join(', ')} or a profile object.`, { value: options })
  }
  const handle = toModelHandle(model, { ...(options.shapes === undefined ? {} : { shapes: options.shapes }), ...(options.dims === undefined ? {} : { dims: options.dims }) })
  const analysis = handle.analysis()
  const profile = await resolveProfile(options.device, options)
  const threads = options.threads ?? 1
  if (!Number.isSafeInteger(threads) || threads < 1) throw new ModelgateError('E_DEVICE_PROFILE', `threads must be a positive integer for an estimate, got ${JSON.stringify(threads)}.`, { value: threads })
  // The measured profile already describes the threads it ran with.
  const r = roofline(analysis.nodes, profile, profile.id === THIS_MACHINE ? 1 : threads, analysis.inputs.length + analysis.outputs.length)
  const top = options.top ?? 5
  const dominating = [...r.nodes].sort((a, b) => b.ms - a.ms).slice(0, top)
    .map((n) => ({ name: n.name, opType: n.opType, ms: n.ms, share: r.totalMs > 0 ? n.ms / r.totalMs : 0, bound: n.bound }))
  const extra = [
    r.unestimated.length > 0 ? `${r.unestimated.length} node(s) without a cost rule are left out (${[...new Set(r.unestimated.map((u) => u.opType))].join(', ')}): the figure is a lower bound` : '',
    r.assumedFloat32.length > 0 ? `${r.assumedFloat32.join(', ')} ran at the float32 rate (the profile has no figure for it)` : '',
  ].filter((s) => s !== '')
  return {
    kind: 'estimated',
    model: handle.name,
    latencyMs: r.totalMs,
    breakdownMs: { compute: r.computeMs, memory: r.memoryMs, overhead: r.overheadMs },
    profile,
    threads,
    nodes: r.nodes.length,
    dominating,
    unestimated: r.unestimated,
    isLowerBound: r.unestimated.length > 0,
    note: extra.length === 0 ? ESTIMATE_NOTE : `${ESTIMATE_NOTE} ${extra.join('; ')}.`,
  }
}
