/**
 * The estimator's check (`npm run bench:estimate [-- --json] [-- --time MS] [-- --only a,b]`): for every torchvision
 * builder in fixtures/ and every runnable scenario model, the `this-machine` roofline estimate next to the latency
 * measured in onnxruntime-node with 1 thread, in one process. Prints the Spearman rank correlation (goal ≥ 0.9),
 * the median |predicted − measured| / measured (goal ≤ 30 %) and the five worst models with what dominates their
 * estimate. Measured figures are the median (p50) of the timed runs; the fastest run is printed too, because on a
 * shared machine the median of a millisecond model carries the scheduler's noise. The load average is printed
 * before and after: re-run on a quiet machine for figures worth quoting.
 */
import { join } from 'node:path'
import { loadavg } from 'node:os'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { ensureTorchvisionModel, TORCHVISION_MODELS } from '../../fixtures/torchvision/index.js'
import { machineConditions } from '../../src/bench/conditions.js'
import { benchModel } from '../../src/bench/index.js'
import { calibrateThisMachine, estimateLatency, type LatencyEstimate } from '../../src/estimate/index.js'

const json = process.argv.includes('--json')
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}
const timeMs = Number(arg('--time') ?? 1500)
const only = arg('--only')?.split(',')
const log = (line: string): void => void process.stderr.write(`${line}\n`)

/** Scenario models that onnxruntime cannot run (a custom op) are left out; symbolic dims are set to 1. */
const SCENARIOS = [
  'conv', 'depthwise', 'convtranspose', 'gemm', 'dynamic-batch-matmul', 'shared-weights', 'reshape-chain', 'attention',
  'attention-decomposed', 'lstm', 'if', 'loop', 'function', 'external-data', 'constant-weights', 'initializer-inputs',
  'batchnorm', 'rsnet-lite', 'resnet-heavy',
]

/** Scenarios with a symbolic batch N. */
const SYMBOLIC = new Set(['dynamic-batch-matmul', 'reshape-chain'])

interface Row {
  readonly model: string
  readonly predictedMs: number
  readonly measuredP50Ms: number
  readonly measuredMinMs: number
  readonly estimate: LatencyEstimate
}

/** Ranks with ties averaged (1-based). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(values.length).fill(0)
  for (let i = 0; i < order.length;) {
    let j = i
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1
    i = j + 1
  }
  return out
}

/** Spearman's ρ: Pearson's correlation of the ranks. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x)
  const ry = ranks(y)
  const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length
  const mx = mean(rx)
  const my = mean(ry)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my)
    sxx += (rx[i]! - mx) ** 2
    syy += (ry[i]! - my) ** 2
  }
  return sxy / Math.sqrt(sxx * syy)
}

function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const fmt = (ms: number): string => (ms >= 10 ? ms.toFixed(1) : ms >= 0.1 ? ms.toFixed(3) : ms.toFixed(4))

async function main(): Promise<void> {
  const loadBefore = loadavg()
  log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`)
  const profile = await calibrateThisMachine({ threads: 1, recalibrate: true })
  log(`profile: ${(profile.peakFlops.float32 / 1e9).toFixed(1)} GFLOP/s, ${(profile.memoryBandwidth / 1e9).toFixed(1)} GB/s, ${profile.nodeOverheadUs.toFixed(2)} µs/node, ${profile.runOverheadUs.toFixed(1)} µs/run`)
  const models: { name: string; path: string; dims: Record<string, number> }[] = []
  for (const name of TORCHVISION_MODELS) models.push({ name, path: await ensureTorchvisionModel(name), dims: {} })
  for (const name of SCENARIOS) models.push({ name, path: join(FIXTURES_DIR, name, 'model.onnx'), dims: SYMBOLIC.has(name) ? { N: 1 } : {} })
  const rows: Row[] = []
  for (const m of models.filter((x) => only === undefined || only.includes(x.name))) {
    const estimate = await estimateLatency(m.path, { device: profile, dims: m.dims })
    const r = await benchModel(m.path, { dims: m.dims, threads: 1, time: timeMs, iterations: 5, warmupIterations: 3, calibrate: false })
    if (r.state !== 'completed') throw new Error(`${m.name}: ${r.error.message}`)
    rows.push({ model: m.name, predictedMs: estimate.latencyMs, measuredP50Ms: r.latencyMs.p50, measuredMinMs: r.latencyMs.min, estimate })
    log(`${m.name.padEnd(22)} predicted ${fmt(estimate.latencyMs).padStart(9)} ms   measured p50 ${fmt(r.latencyMs.p50).padStart(9)} ms (fastest ${fmt(r.latencyMs.min)})`)
  }
  const loadAfter = loadavg()
  const err = (pred: number, meas: number): number => Math.abs(pred - meas) / meas
  const summary = (key: 'measuredP50Ms' | 'measuredMinMs', set: readonly Row[] = rows): { spearman: number; medianAbsRelError: number } => ({
    spearman: spearman(set.map((r) => r.predictedMs), set.map((r) => r[key])),
    medianAbsRelError: medianOf(set.map((r) => err(r.predictedMs, r[key]))),
  })
  const p50 = summary('measuredP50Ms')
  const fastest = summary('measuredMinMs')
  // Most scenario models run in ~15 µs, nearly all of it the per-run overhead: the figures over the models that do
  // real work (≥ 0.1 ms measured) say how well the roofline part predicts.
  const heavy = rows.filter((r) => r.measuredP50Ms >= 0.1)
  const heavyP50 = summary('measuredP50Ms', heavy)
  const heavyFastest = summary('measuredMinMs', heavy)
  const worst = [...rows].sort((a, b) => err(b.predictedMs, b.measuredP50Ms) - err(a.predictedMs, a.measuredP50Ms)).slice(0, 5)
  const explain = (r: Row): string => {
    const b = r.estimate.breakdownMs
    const total = r.estimate.latencyMs
    const ops = new Map<string, number>()
    for (const d of r.estimate.dominating) ops.set(d.opType, (ops.get(d.opType) ?? 0) + d.ms)
    return `${r.predictedMs > r.measuredP50Ms ? 'over' : 'under'}-predicted ×${(r.predictedMs > r.measuredP50Ms ? r.predictedMs / r.measuredP50Ms : r.measuredP50Ms / r.predictedMs).toFixed(2)}; ` +
      `estimate is ${((b.compute / total) * 100).toFixed(0)} % compute, ${((b.memory / total) * 100).toFixed(0)} % memory, ${((b.overhead / total) * 100).toFixed(0)} % overhead; top: ${[...ops].map(([op, ms]) => `${op} ${fmt(ms)} ms`).join(', ')}`
  }
  const out = {
    machine: machineConditions(),
    profile,
    loadAverage: { before: loadBefore, after: loadAfter },
    models: rows.length,
    p50,
    fastest,
    heavy: { models: heavy.map((r) => r.model), p50: heavyP50, fastest: heavyFastest },
    rows: rows.map((r) => ({ model: r.model, predictedMs: r.predictedMs, measuredP50Ms: r.measuredP50Ms, measuredMinMs: r.measuredMinMs, relError: (r.predictedMs - r.measuredP50Ms) / r.measuredP50Ms })),
    worst: worst.map((r) => ({ model: r.model, explanation: explain(r) })),
  }
  const text = [
    `estimator check on ${out.machine.cpu} ×${out.machine.cores}, onnxruntime-node, 1 thread, ${rows.length} models`,
    `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
    `vs measured p50:      Spearman ρ ${p50.spearman.toFixed(3)} (goal ≥ 0.9), median |pred − meas|/meas ${(p50.medianAbsRelError * 100).toFixed(1)} % (goal ≤ 30 %)`,
    `vs fastest run:       Spearman ρ ${fastest.spearman.toFixed(3)}, median |pred − meas|/meas ${(fastest.medianAbsRelError * 100).toFixed(1)} %`,
    `models ≥ 0.1 ms (${heavy.length}): vs p50 ρ ${heavyP50.spearman.toFixed(3)}, median error ${(heavyP50.medianAbsRelError * 100).toFixed(1)} %; vs fastest ρ ${heavyFastest.spearman.toFixed(3)}, median error ${(heavyFastest.medianAbsRelError * 100).toFixed(1)} %`,
    'worst five (vs p50):',
    ...out.worst.map((w) => `  ${w.model}: ${w.explanation}`),
  ].join('\n')
  if (json) {
    log(text)
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  } else {
    process.stdout.write(`${text}\n`)
  }
}

await main()
