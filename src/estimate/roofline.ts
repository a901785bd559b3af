/**
 * The roofline arithmetic, pure: per node, time = max(FLOPs ÷ peak compute for the node's dtype, bytes moved ÷
 * memory bandwidth) + the per-node overhead; the model's time is the sum over the execution order plus the
 * per-run overhead (and a per-input/output one). Units: FLOPs, bytes, FLOP/s, bytes/s in; seconds inside; ms out.
 */
import type { NodeStats } from '../analysis/index.js'
import { ModelgateError } from '../errors.js'
import type { ComputeDtype, DeviceProfile } from './profiles.js'

/** What dominated a node's time. */
export type NodeBound = 'compute' | 'memory' | 'overhead'

/** One node's estimate. */
export interface NodeEstimate {
  readonly name: string
  readonly opType: string
  readonly ms: number
  readonly bound: NodeBound
  readonly flops: number
  readonly bytes: number
  /** The peak-compute rate used (the dtype's, or float32's when the profile has none for it). */
  readonly computeDtype: ComputeDtype
}

/** The sum over a graph. */
export interface RooflineResult {
  readonly totalMs: number
  /** Σ of node times spent bound by compute / by memory, and all fixed overheads (nodes + run). */
  readonly computeMs: number
  readonly memoryMs: number
  readonly overheadMs: number
  readonly nodes: readonly NodeEstimate[]
  /** Nodes without a cost rule: not counted, so the total is a lower bound when any are listed. */
  readonly unestimated: readonly { readonly name: string; readonly opType: string }[]
  /** Dtypes that ran at the float32 rate because the profile has no figure for them. */
  readonly assumedFloat32: readonly string[]
}

/** The rate class of an element type: which peak applies. */
export function computeDtypeOf(dtype: string): ComputeDtype | undefined {
  if (dtype === 'float32' || dtype === 'float64') return 'float32'
  if (dtype === 'float16') return 'float16'
  if (dtype === 'bfloat16') return 'bfloat16'
  // Quantized kernels (QLinearConv, MatMulInteger …) read int8/uint8 and write int8, uint8 or int32 accumulators.
  if (dtype === 'int8' || dtype === 'uint8' || dtype === 'int32') return 'int8'
  return undefined
}

/**
 * The bandwidth for a node that moves `bytes`: the profile's curve interpolated linearly in log(bytes) →
 * log(bandwidth), flat beyond its ends; `memoryBandwidth` when the profile has no curve.
 */
export function bandwidthFor(profile: DeviceProfile, bytes: number): number {
  const curve = profile.bandwidthCurve
  if (curve === undefined || curve.length === 0) return profile.memoryBandwidth
  const first = curve[0]!
  const last = curve[curve.length - 1]!
  if (bytes <= first.bytes) return first.bytesPerSec
  if (bytes >= last.bytes) return last.bytesPerSec
  let i = 1
  while (curve[i]!.bytes < bytes) i++
  const lo = curve[i - 1]!
  const hi = curve[i]!
  const t = Math.log(bytes / lo.bytes) / Math.log(hi.bytes / lo.bytes)
  return Math.exp(Math.log(lo.bytesPerSec) + t * Math.log(hi.bytesPerSec / lo.bytesPerSec))
}

function numeric(value: NodeStats['flops'], node: NodeStats, what: string): number {
  if (typeof value === 'number') return value
  throw new ModelgateError('E_UNRESOLVED_DIM', `Node ${JSON.stringify(node.name)} (${node.opType}) has ${what} ${JSON.stringify(value)}, which depends on a symbolic dim; an estimate needs numbers.`, { value, node: node.name })
}

/**
 * Estimates a graph on a device.
 * @param nodes the analysis's nodes, in execution order
 * @param profile the device
 * @param threads threads the run may use (compute scales ideally up to the profile's cores) @default 1
 * @param ioTensors graph inputs + outputs passed per call (each costs the profile's `ioOverheadUs`) @default 0
 */
export function roofline(nodes: readonly Pick<NodeStats, 'name' | 'opType' | 'flops' | 'bytesRead' | 'bytesWritten' | 'outputs' | 'counted' | 'domain' | 'macs' | 'params'>[], profile: DeviceProfile, threads = 1, ioTensors = 0): RooflineResult {
  const parallel = Math.max(1, Math.min(threads, profile.cores))
  const overheadS = profile.nodeOverheadUs * 1e-6
  const out: NodeEstimate[] = []
  const unestimated: { name: string; opType: string }[] = []
  const assumed = new Set<string>()
  let computeS = 0
  let memoryS = 0
  let overheadTotalS = (profile.runOverheadUs + ioTensors * (profile.ioOverheadUs ?? 0)) * 1e-6
  for (const node of nodes) {
    if (node.flops === null) {
      unestimated.push({ name: node.name, opType: node.opType })
      continue
    }
    const flops = numeric(node.flops, node as NodeStats, 'FLOPs')
    const bytes = numeric(node.bytesRead, node as NodeStats, 'bytes read') + numeric(node.bytesWritten, node as NodeStats, 'bytes written')
    const dtype = node.outputs[0]?.dtype ?? 'float32'
    const wanted = computeDtypeOf(dtype)
    let rateDtype: ComputeDtype = 'float32'
    if (wanted !== undefined && profile.peakFlops[wanted] !== undefined) rateDtype = wanted
    else if (wanted !== undefined && wanted !== 'float32' && flops > 0) assumed.add(dtype)
    const peak = (profile.peakFlops[rateDtype] ?? profile.peakFlops.float32) * parallel
    const tCompute = flops / peak
    const tMemory = bytes === 0 ? 0 : bytes / bandwidthFor(profile, bytes)
    const busy = Math.max(tCompute, tMemory)
    const bound: NodeBound = busy < overheadS ? 'overhead' : tCompute >= tMemory ? 'compute' : 'memory'
    if (tCompute >= tMemory) computeS += tCompute
    else memoryS += tMemory
    overheadTotalS += overheadS
    out.push({ name: node.name, opType: node.opType, ms: (busy + overheadS) * 1e3, bound, flops, bytes, computeDtype: rateDtype })
  }
  const totalS = computeS + memoryS + overheadTotalS
  return { totalMs: totalS * 1e3, computeMs: computeS * 1e3, memoryMs: memoryS * 1e3, overheadMs: overheadTotalS * 1e3, nodes: out, unestimated, assumedFloat32: [...assumed].sort() }
}
