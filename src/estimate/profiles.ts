/**
 * Device profiles: the few numbers a roofline needs (peak compute per dtype, memory bandwidth, per-node and
 * per-run overhead), with where each number comes from. Built-in ones describe targets we do not have; the
 * `this-machine` profile is measured (calibrate.ts). Pure data and validation.
 */
import { ModelgateError } from '../errors.js'

/** Element types the roofline distinguishes (anything else runs at the float32 rate, said so in the estimate). */
export type ComputeDtype = 'float32' | 'float16' | 'bfloat16' | 'int8'

/** A device as the roofline sees it. */
export interface DeviceProfile {
  /** Stable id, e.g. `raspberry-pi-5`. */
  readonly id: string
  /** What it is, in words (which core or accelerator the numbers describe). */
  readonly name: string
  /** Peak compute of one core (one "unit" for a GPU), FLOP/s (ops/s for int8) by dtype; float32 is required. */
  readonly peakFlops: Readonly<{ float32: number } & Partial<Record<ComputeDtype, number>>>
  /** Cores an estimate may use with `threads` > 1 (ideal scaling is assumed). 1 for a GPU. */
  readonly cores: number
  /** Memory bandwidth, bytes/s (for data that does not fit in any cache). */
  readonly memoryBandwidth: number
  /**
   * Optional: the bandwidth a node sees as a function of the bytes it moves (caches make small working sets
   * faster), as points sorted by `bytes`; interpolated log-log, flat beyond the ends. Without it every byte moves at
   * `memoryBandwidth`. The `this-machine` profile measures it; built-in profiles leave it out (no spec sheet gives it).
   */
  readonly bandwidthCurve?: readonly { readonly bytes: number; readonly bytesPerSec: number }[]
  /** Fixed cost of one node (kernel dispatch), µs. */
  readonly nodeOverheadUs: number
  /** Fixed cost of one inference call, µs. */
  readonly runOverheadUs: number
  /** Optional: cost of each graph input and output the call passes (tensor wrapping, output copy), µs. @default 0 */
  readonly ioOverheadUs?: number
  /** Where each number comes from: field name → source, and how a derived figure was derived. */
  readonly sources: Readonly<Record<string, string>>
}

const G = 1e9

/** Built-in profiles of common targets. Every number has its source next to it; derived figures say how. */
export const BUILT_IN_PROFILES: readonly DeviceProfile[] = [
  {
    id: 'raspberry-pi-5',
    name: 'Raspberry Pi 5 (BCM2712), one Cortex-A76 core at 2.4 GHz, CPU execution provider',
    // 2 ASIMD/FP pipes × 4 fp32 lanes × 2 (FMA) × 2.4 GHz; fp16 has 8 lanes; int8 SDOT does 16 MACs per pipe.
    peakFlops: { float32: 38.4 * G, float16: 76.8 * G, int8: 153.6 * G },
    cores: 4,
    memoryBandwidth: 17.07 * G,
    nodeOverheadUs: 5,
    runOverheadUs: 30,
    sources: {
      peakFlops: 'derived: 2.4 GHz (Raspberry Pi 5 product brief) × 16 fp32 FLOP/cycle = 2 128-bit ASIMD pipes with FMA (Arm Cortex-A76 Software Optimization Guide); fp16 ×2 lanes; int8 SDOT 16 MACs/pipe/cycle = 64 ops/cycle',
      cores: 'Raspberry Pi 5 product brief: quad-core Arm Cortex-A76',
      memoryBandwidth: 'derived: LPDDR4X-4267 (Raspberry Pi 5 product brief) × 32-bit bus = 4267 MT/s × 4 B; theoretical peak, sustained is lower',
      nodeOverheadUs: 'assumption: the order of onnxruntime\'s per-kernel dispatch on a small core (not from a data sheet)',
      runOverheadUs: 'assumption: the order of one session.run call\'s fixed cost (not from a data sheet)',
    },
  },
  {
    id: 'jetson-orin-nano',
    name: 'NVIDIA Jetson Orin Nano 8 GB, Ampere GPU (1024 CUDA cores, 625 MHz), CUDA/TensorRT execution provider',
    peakFlops: { float32: 1280 * G, float16: 10_000 * G, int8: 20_000 * G },
    cores: 1,
    memoryBandwidth: 68 * G,
    nodeOverheadUs: 10,
    runOverheadUs: 100,
    sources: {
      peakFlops: 'float32 derived: 1024 CUDA cores × 2 (FMA) × 625 MHz (Jetson Orin Nano series data sheet); int8: 40 TOPS sparse (NVIDIA spec) ÷ 2 for dense; float16: half the dense int8 rate (Ampere tensor cores), derived, not quoted',
      cores: 'a GPU is one device: threads do not apply',
      memoryBandwidth: 'Jetson Orin Nano series data sheet: 128-bit LPDDR5, 68 GB/s',
      nodeOverheadUs: 'assumption: a CUDA kernel launch plus onnxruntime dispatch, order of 10 µs (not measured here)',
      runOverheadUs: 'assumption: host↔device copies of small inputs and outputs, order of 100 µs (not measured here)',
    },
  },
  {
    id: 'phone-big-core',
    name: 'A recent phone\'s prime core: Cortex-X4 at 3.3 GHz (Snapdragon 8 Gen 3), CPU execution provider',
    peakFlops: { float32: 105.6 * G, float16: 211.2 * G, int8: 422.4 * G },
    cores: 1,
    memoryBandwidth: 76.8 * G,
    nodeOverheadUs: 3,
    runOverheadUs: 20,
    sources: {
      peakFlops: 'derived: 3.3 GHz (Qualcomm Snapdragon 8 Gen 3 product brief, prime core) × 32 fp32 FLOP/cycle = 4 128-bit ASIMD pipes with FMA (Arm Cortex-X4 Software Optimization Guide); fp16 ×2; int8 SDOT 128 ops/cycle',
      cores: 'one prime core (the other cores are slower designs)',
      memoryBandwidth: 'derived: LPDDR5X at 4800 MHz (Qualcomm product brief) = 9600 MT/s × 64-bit bus; Qualcomm quotes the clock, not the bandwidth',
      nodeOverheadUs: 'assumption: the order of onnxruntime\'s per-kernel dispatch on a fast core (not from a data sheet)',
      runOverheadUs: 'assumption: the order of one session.run call\'s fixed cost (not from a data sheet)',
    },
  },
  {
    id: 'apple-m2',
    name: 'Apple M2, one performance core at 3.49 GHz, CPU execution provider (NEON, not the AMX units)',
    peakFlops: { float32: 111.7 * G, float16: 223.4 * G, int8: 446.7 * G },
    cores: 4,
    memoryBandwidth: 100 * G,
    nodeOverheadUs: 2,
    runOverheadUs: 15,
    sources: {
      peakFlops: 'derived: 3.49 GHz (published by reviewers; Apple does not publish clocks) × 32 fp32 FLOP/cycle = 4 128-bit FP/SIMD pipes with FMA (Dougall Johnson\'s Firestorm/Avalanche measurements); fp16 ×2; int8 SDOT 128 ops/cycle',
      cores: 'Apple M2: 4 performance cores (Apple, June 2022)',
      memoryBandwidth: 'Apple M2 announcement (June 2022): 100 GB/s unified memory bandwidth',
      nodeOverheadUs: 'assumption: the order of onnxruntime\'s per-kernel dispatch on a fast core (not from a data sheet)',
      runOverheadUs: 'assumption: the order of one session.run call\'s fixed cost (not from a data sheet)',
    },
  },
]

/** The id of the measured profile. */
export const THIS_MACHINE = 'this-machine'

/** The ids `device` accepts. */
export function deviceIds(): string[] {
  return [...BUILT_IN_PROFILES.map((p) => p.id), THIS_MACHINE]
}

/** A built-in profile by id, or undefined. */
export function builtInProfile(id: string): DeviceProfile | undefined {
  return BUILT_IN_PROFILES.find((p) => p.id === id)
}

function fail(problem: string, value: unknown): never {
  throw new ModelgateError('E_DEVICE_PROFILE', problem, { value })
}

function positive(id: string, field: string, v: unknown, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) fail(`Device profile ${JSON.stringify(id)}: ${field} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${JSON.stringify(v)}.`, v)
  return v
}

const DTYPES: readonly ComputeDtype[] = ['float32', 'float16', 'bfloat16', 'int8']

/**
 * Checks a profile given by the user (or read from a file).
 * @returns the profile, typed
 * @throws ModelgateError E_DEVICE_PROFILE naming the field and the value
 */
export function validateProfile(value: unknown): DeviceProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`A device profile must be an object, got ${JSON.stringify(value)}.`, value)
  const p = value as Record<string, unknown>
  const id = typeof p.id === 'string' && p.id !== '' ? p.id : fail(`A device profile needs an id (a non-empty string), got ${JSON.stringify(p.id)}.`, p.id)
  if (typeof p.name !== 'string') fail(`Device profile ${JSON.stringify(id)}: name must be a string, got ${JSON.stringify(p.name)}.`, p.name)
  const peak = p.peakFlops
  if (typeof peak !== 'object' || peak === null) fail(`Device profile ${JSON.stringify(id)}: peakFlops must be an object { float32: FLOP/s, float16?, bfloat16?, int8? }, got ${JSON.stringify(peak)}.`, peak)
  const peakFlops: Partial<Record<ComputeDtype, number>> = {}
  for (const [k, v] of Object.entries(peak as Record<string, unknown>)) {
    if (!DTYPES.includes(k as ComputeDtype)) fail(`Device profile ${JSON.stringify(id)}: peakFlops.${k} is not one of ${DTYPES.join(', ')}.`, k)
    peakFlops[k as ComputeDtype] = positive(id, `peakFlops.${k}`, v)
  }
  const float32 = peakFlops.float32 ?? fail(`Device profile ${JSON.stringify(id)}: peakFlops.float32 is required (FLOP/s).`, peak)
  const cores = positive(id, 'cores', p.cores)
  if (!Number.isInteger(cores)) fail(`Device profile ${JSON.stringify(id)}: cores must be an integer, got ${cores}.`, cores)
  const sources = p.sources ?? {}
  if (typeof sources !== 'object' || sources === null || Object.values(sources).some((s) => typeof s !== 'string')) fail(`Device profile ${JSON.stringify(id)}: sources must map field names to texts.`, sources)
  let bandwidthCurve: { bytes: number; bytesPerSec: number }[] | undefined
  if (p.bandwidthCurve !== undefined) {
    if (!Array.isArray(p.bandwidthCurve) || p.bandwidthCurve.length === 0) fail(`Device profile ${JSON.stringify(id)}: bandwidthCurve must be a non-empty list of { bytes, bytesPerSec }.`, p.bandwidthCurve)
    bandwidthCurve = (p.bandwidthCurve as unknown[]).map((point, i) => {
      const q = (typeof point === 'object' && point !== null ? point : {}) as Record<string, unknown>
      return { bytes: positive(id, `bandwidthCurve[${i}].bytes`, q.bytes), bytesPerSec: positive(id, `bandwidthCurve[${i}].bytesPerSec`, q.bytesPerSec) }
    })
    if (bandwidthCurve.some((q, i) => i > 0 && q.bytes <= bandwidthCurve![i - 1]!.bytes)) fail(`Device profile ${JSON.stringify(id)}: bandwidthCurve must be sorted by strictly increasing bytes.`, p.bandwidthCurve)
  }
  const io = p.ioOverheadUs === undefined ? {} : { ioOverheadUs: positive(id, 'ioOverheadUs', p.ioOverheadUs, true) }
  return {
    id,
    name: p.name as string,
    ...io,
    ...(bandwidthCurve === undefined ? {} : { bandwidthCurve }),
    peakFlops: { ...peakFlops, float32 },
    cores,
    memoryBandwidth: positive(id, 'memoryBandwidth', p.memoryBandwidth),
    nodeOverheadUs: positive(id, 'nodeOverheadUs', p.nodeOverheadUs, true),
    runOverheadUs: positive(id, 'runOverheadUs', p.runOverheadUs, true),
    sources: { ...(sources as Record<string, string>) },
  }
}
