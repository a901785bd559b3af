/**
 * Energy per inference: measured from Linux RAPL counters (`/sys/class/powercap/intel-rapl:*`, also used by AMD
 * Zen on Linux ≥ 5.8) when they are readable, else estimated from the analyzer's MACs, FLOPs and memory traffic
 * with published per-operation energies. Always labelled `measured` or `estimated`, with the source.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AnalysisReport } from '../analysis/index.js'
import type { BenchEnergy } from './types.js'

/**
 * Per-operation energies, 45 nm at 0.9 V: M. Horowitz, "Computing's Energy Problem (and what we can do about it)",
 * ISSCC 2014. A MAC = one multiply + one add of the weights' type; an element-wise FLOP = one add of that type.
 * Memory: weights are read once from DRAM (640 pJ per 32-bit word = 160 pJ/B, as restated by Han et al., NIPS 2015);
 * the rest of the traffic is served from a ~1 MB on-chip SRAM (100 pJ per 64-bit read = 12.5 pJ/B).
 * A first-order figure for comparing models with each other, not a prediction for a given CPU.
 */
export const ENERGY_COEFFICIENTS = {
  source: 'estimate: Horowitz, "Computing\'s Energy Problem", ISSCC 2014 (45 nm, 0.9 V): MACs × (mult + add) + element-wise FLOPs × add + weights × DRAM 160 pJ/B + other traffic × SRAM 12.5 pJ/B',
  /** pJ per MAC (multiply + add), by the dtype of the weights. */
  macPj: { float32: 3.7 + 0.9, float16: 1.1 + 0.4, int8: 0.2 + 0.03, int32: 3.1 + 0.1 } as Readonly<Record<string, number>>,
  /** pJ per add, by dtype. */
  addPj: { float32: 0.9, float16: 0.4, int8: 0.03, int32: 0.1 } as Readonly<Record<string, number>>,
  dramPjPerByte: 160,
  sramPjPerByte: 12.5,
} as const

const ARITHMETIC_TYPE: Readonly<Record<string, string>> = {
  float32: 'float32', float64: 'float32', float16: 'float16', bfloat16: 'float16', int8: 'int8', uint8: 'int8', int32: 'int32', int64: 'int32',
}

/** The dtype whose arithmetic dominates: that of the most weight bytes (float32 when there are none). */
function arithmeticType(report: AnalysisReport): string {
  const entries = Object.entries(report.params.byDtype).sort(([, a], [, b]) => b.bytes - a.bytes)
  return ARITHMETIC_TYPE[entries[0]?.[0] ?? 'float32'] ?? 'float32'
}

/**
 * The estimate for one inference of the analysed model.
 * @param report the analysis at the shapes run (one batch)
 * @param batch samples per inference
 */
export function estimateEnergy(report: AnalysisReport | undefined, batch: number, note?: string): BenchEnergy {
  const source = ENERGY_COEFFICIENTS.source
  if (report === undefined) return { kind: 'estimated', joulesPerInference: null, joulesPerSample: null, source, note: `no estimate: ${note ?? 'no analysis'}` }
  const { macs, flops, memoryAccessBytes } = report
  if (typeof macs !== 'number' || typeof flops !== 'number' || typeof memoryAccessBytes !== 'number') {
    return { kind: 'estimated', joulesPerInference: null, joulesPerSample: null, source, note: 'no estimate: MACs or memory traffic depend on an unresolved dim' }
  }
  const type = arithmeticType(report)
  const c = ENERGY_COEFFICIENTS
  const weights = report.params.weightsBytes
  const pj =
    macs * (c.macPj[type] ?? 4.6) +
    Math.max(0, flops - 2 * macs) * (c.addPj[type] ?? 0.9) +
    weights * c.dramPjPerByte +
    Math.max(0, memoryAccessBytes - weights) * c.sramPjPerByte
  const joules = pj * 1e-12
  const lowerBound = report.coverage.totalsAreLowerBounds ? '; a lower bound: some ops have no cost rule' : ''
  return { kind: 'estimated', joulesPerInference: joules, joulesPerSample: joules / batch, source, note: `no energy counters readable on this machine; ${type} arithmetic${lowerBound}` }
}

/** One RAPL package domain's counter. */
export interface RaplCounter {
  readonly path: string
  readonly name: string
  readonly energyUj: number
  readonly maxEnergyRangeUj: number
}

/**
 * Reads the top-level RAPL domains (packages; sub-domains are inside them and would be counted twice).
 * @param root the powercap directory
 * @returns the counters, or null when there are none or they are not readable (root-only since CVE-2020-8694)
 * @default root '/sys/class/powercap'
 */
export function readRapl(root = '/sys/class/powercap'): RaplCounter[] | null {
  try {
    const domains = readdirSync(root).filter((d) => /^intel-rapl:\d+$/.test(d)).sort()
    const counters = domains.map((d): RaplCounter => {
      const dir = join(root, d)
      const read = (f: string): string => readFileSync(join(dir, f), 'utf8').trim()
      let name = d
      try {
        name = read('name')
      } catch {
        // the name is a label only
      }
      return { path: dir, name, energyUj: Number(read('energy_uj')), maxEnergyRangeUj: Number(read('max_energy_range_uj')) }
    })
    return counters.length > 0 && counters.every((c) => Number.isFinite(c.energyUj)) ? counters : null
  } catch {
    return null
  }
}

/** Joules between two readings of the same counters, allowing for one wrap-around per counter. */
export function raplJoules(before: readonly RaplCounter[], after: readonly RaplCounter[]): number {
  let uj = 0
  for (const a of after) {
    const b = before.find((x) => x.path === a.path)
    if (b === undefined) continue
    uj += a.energyUj >= b.energyUj ? a.energyUj - b.energyUj : a.energyUj + a.maxEnergyRangeUj - b.energyUj
  }
  return uj / 1e6
}

/** The measured energy per inference from two RAPL readings around `runs` inferences. */
export function measuredEnergy(before: readonly RaplCounter[], after: readonly RaplCounter[], runs: number, batch: number): BenchEnergy {
  const joules = raplJoules(before, after) / runs
  return {
    kind: 'measured',
    joulesPerInference: joules,
    joulesPerSample: joules / batch,
    source: `RAPL ${after.map((c) => `${c.path} (${c.name})`).join(', ')}`,
    note: 'whole-package energy while measuring (other processes included), divided by the timed runs',
  }
}
