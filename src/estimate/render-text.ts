/**
 * The terminal text of a latency estimate: always headed as an estimate, with the profile it used and the nodes
 * that dominate it. Pure.
 */
import type { LatencyEstimate } from './estimate.js'
import type { DeviceProfile } from './profiles.js'

function ms(v: number): string {
  if (v >= 100) return `${v.toFixed(0)} ms`
  if (v >= 1) return `${v.toPrecision(3)} ms`
  return `${Number((v * 1000).toPrecision(3))} µs`
}

function rate(v: number, unit: string): string {
  return v >= 1e12 ? `${Number((v / 1e12).toPrecision(3))} T${unit}` : `${Number((v / 1e9).toPrecision(3))} G${unit}`
}

/** A profile's numbers on one line. */
export function describeProfile(p: DeviceProfile): string {
  const peaks = Object.entries(p.peakFlops).map(([dtype, v]) => `${dtype} ${rate(v, dtype === 'int8' ? 'op/s' : 'FLOP/s')}`).join(', ')
  return `${peaks}; ${rate(p.memoryBandwidth, 'B/s')}; ${Number(p.nodeOverheadUs.toPrecision(3))} µs/node, ${Number(p.runOverheadUs.toPrecision(3))} µs/run${p.cores > 1 ? `; ${p.cores} cores` : ''}`
}

/** The estimate as terminal text. */
export function renderEstimateText(e: LatencyEstimate, model: string): string {
  const b = e.breakdownMs
  const lines = [
    `${model} on ${e.profile.id} — ESTIMATED (roofline, not a measurement)`,
    `estimated latency  ${e.isLowerBound ? '≥ ' : ''}${ms(e.latencyMs)} per inference (compute-bound nodes ${ms(b.compute)}, memory-bound ${ms(b.memory)}, fixed overheads ${ms(b.overhead)}; ${e.nodes} nodes, ${e.threads} thread${e.threads === 1 ? '' : 's'})`,
    `profile            ${e.profile.name}`,
    `                   ${describeProfile(e.profile)}`,
    'dominating nodes:',
    ...e.dominating.map((d) => `  ${ms(d.ms).padStart(9)}  ${(d.share * 100).toFixed(1).padStart(5)} %  ${d.bound.padEnd(8)}  ${d.opType} ${d.name}`),
    `note: ${e.note}`,
  ]
  return `${lines.join('\n')}\n`
}
