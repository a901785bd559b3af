/**
 * Plain-text rendering of bench results and comparisons for the terminal (`modelgate bench`). Pure.
 */
import type { BenchConditions, BenchProgress, BenchResult, LatencyComparison, LatencyStats } from './types.js'

/** A number with 4 significant digits (thousands grouped above 9,999). */
export function fmtNum(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Math.abs(value) >= 10_000) return Math.round(value).toLocaleString('en-US')
  return Number(value.toPrecision(4)).toString()
}

/** Bytes in B / KB / MB / GB (powers of 1000). */
export function fmtBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = bytes
  let u = 0
  while (Math.abs(v) >= 1000 && u < units.length - 1) {
    v /= 1000
    u++
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u] ?? 'B'}`
}

function fmtJoules(joules: number): string {
  const units: [number, string][] = [[1, 'J'], [1e-3, 'mJ'], [1e-6, 'µJ'], [1e-9, 'nJ'], [1e-12, 'pJ']]
  const [scale, unit] = units.find(([s]) => Math.abs(joules) >= s) ?? [1e-12, 'pJ']
  return `${fmtNum(joules / scale)} ${unit}`
}

function latencyLine(l: LatencyStats): string {
  return `p50 ${fmtNum(l.p50)} ms · p90 ${fmtNum(l.p90)} · p95 ${fmtNum(l.p95)} · p99 ${fmtNum(l.p99)} · mean ${fmtNum(l.mean)} ± ${fmtNum(l.rme)} % · ` +
    `min ${fmtNum(l.min)} · max ${fmtNum(l.max)} · mad ${fmtNum(l.mad)} (${l.samples} runs)`
}

function conditionsHeader(model: string, c: BenchConditions): string {
  const threads = c.intraOpThreads === 0 ? 'engine-default intra-op threads' : `${c.intraOpThreads} intra-op thread${c.intraOpThreads === 1 ? '' : 's'}`
  return `${model} · ${c.engine.name} ${c.engine.version} (${c.engine.executionProvider}) · ${threads} · optimisation ${c.graphOptimizationLevel} · batch ${c.batch}`
}

function rows(entries: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...entries.map(([k]) => k.length))
  return entries.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)
}

/** The terminal rendering of a `benchModel` result. */
export function renderBenchText(result: BenchResult): string {
  if (result.state === 'errored') return `${result.model}: ${result.error.code}: ${result.error.message}\n`
  const c = result.conditions
  const m = result.memory
  const estimate = m.estimate === null
    ? `no static estimate (${m.note ?? 'analysis failed'})`
    : `static estimate: weights ${fmtBytes(m.estimate.weightsBytes)} + peak activations ${m.estimate.peakActivationBytes === null ? '?' : fmtBytes(m.estimate.peakActivationBytes)}`
  const e = result.energy
  const energy = e.joulesPerInference === null ? `${e.kind}: ${e.note}` : `${fmtJoules(e.joulesPerInference)} per inference (${e.kind}; ${e.note})`
  const entries: [string, string][] = [
    ['latency', latencyLine(result.latencyMs)],
    ['throughput', `${fmtNum(result.throughput.samplesPerSec)} samples/s`],
    ['cold start', `session ${fmtNum(result.coldStart.sessionCreateMs)} ms · first run ${fmtNum(result.coldStart.firstRunMs)} ms`],
    ['memory', `RSS ${fmtBytes(m.rssBeforeSessionBytes)} → ${fmtBytes(m.rssAfterSessionBytes)} with the session · peak ${fmtBytes(m.peakRssBytes)}${m.maxRssBytes === null ? '' : ` (process max ${fmtBytes(m.maxRssBytes)})`} · ${estimate}`],
    ['energy', energy],
  ]
  if (result.calibration !== undefined) {
    entries.push(['calibration', `p50 = ${fmtNum(result.calibration.normalizedP50)} × reference (${result.calibration.workload}: ${fmtNum(result.calibration.referenceMs)} ms)`])
  }
  entries.push(
    ['inputs', c.inputs.map((i) => `${i.name} ${i.dtype} [${i.dims.join(', ')}]`).join(' · ')],
    ['warm-up', `${c.warmup.iterations} runs, ≥ ${c.warmup.timeMs} ms · measured ${c.measure.timeMs > 0 ? `≥ ${c.measure.timeMs} ms, ` : ''}≥ ${c.measure.minIterations} runs${c.isolated ? ' · in a child process' : ''}`],
    ['machine', `${c.machine.cpu} · ${c.machine.cores} cores · ${c.machine.os} · Node ${c.machine.node}`],
  )
  const lines = [conditionsHeader(result.model, c), '', ...rows(entries)]
  if (result.batchSweep !== undefined) {
    lines.push('', '  batch   p50 ms   p90 ms   p99 ms   samples/s')
    for (const p of result.batchSweep) {
      lines.push(`  ${String(p.batch).padEnd(6)}  ${fmtNum(p.latencyMs.p50).padStart(7)}  ${fmtNum(p.latencyMs.p90).padStart(7)}  ${fmtNum(p.latencyMs.p99).padStart(7)}   ${fmtNum(p.throughput.samplesPerSec)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

/** The terminal rendering of a `compareLatency` result. */
export function renderComparisonText(c: LatencyComparison): string {
  const pct = (r: number): string => `${r >= 1 ? '+' : ''}${fmtNum((r - 1) * 100)} %`
  const lines = [
    conditionsHeader(`${c.a.model} vs ${c.b.model}`, c.conditions),
    '',
    ...rows([
      ['A', `${c.a.model}: ${latencyLine(c.a.latencyMs)}`],
      ['B', `${c.b.model}: ${latencyLine(c.b.latencyMs)}`],
      ['B / A', `${fmtNum(c.ratio)} (${pct(c.ratio)}), ${Math.round(c.confidence * 100)} % CI ${fmtNum(c.ci[0])}–${fmtNum(c.ci[1])}`],
      ['verdict', `${c.verdict} (threshold ${fmtNum(c.threshold * 100)} %)${c.note === undefined ? '' : ` — ${c.note}`}`],
      ['method', c.method],
    ]),
  ]
  return `${lines.join('\n')}\n`
}

/** One progress line (no newline). */
export function renderProgress(p: BenchProgress, elapsedMs: number): string {
  const pct = p.fraction === undefined ? '' : ` ${Math.round(p.fraction * 100)} %`
  const batch = p.batch === undefined ? '' : ` · batch ${p.batch}`
  return `modelgate bench: ${p.model}${batch} · ${p.phase}${pct} · ${(elapsedMs / 1000).toFixed(1)} s`
}
