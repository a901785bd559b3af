/**
 * `modelgate compare <a.onnx> <b.onnx>... [--shape …] [--dim …] [--bench] [--csv <file>] [--json]`:
 * the side-by-side model evaluator — one row per model with its static figures and, with --bench, latency
 * p50/p95 and FPS measured one model after the other in this one process.
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { analyzeModel, type Dim } from '../analysis/index.js'
import type { BenchOptions, BenchResult } from '../bench/types.js'
import { ModelgateError } from '../errors.js'
import { loadModel, type ModelRef } from '../model/index.js'
import { readOnnxModel } from '../onnx/index.js'
import { escapeCsv, escapeTerminal } from '../report/escape.js'
import { formatBytes, formatSi, renderColumns } from '../report/format.js'
import type { MeasurementConditions } from '../report/types.js'
import { formatMs } from '../report/values.js'
import type { CliIo } from './io.js'
import { parseCount, parseDims, parseShapes } from './parse.js'

export const COMPARE_USAGE = `modelgate compare <a.onnx> <b.onnx>... [options]

One row per model: params, MACs, FLOPs, size on disk, peak memory (activations);
with --bench also latency p50/p95, FPS and peak RSS, measured one model after the other.

  --shape NAME=D0,D1,...  dims of an input, applied to every model that has that input (repeatable)
  --dim SYMBOL=N          size of a symbolic dim, applied to every model that has it (repeatable)
  --bench                 measure latency with onnxruntime-node (installed separately)
  --threads N             intra-op threads for --bench (default 1)
  --time MS               measuring time per model for --bench (default 1000)
  --csv FILE              also write the table as CSV (raw numbers, units in the header)
  --json                  print the rows as JSON instead of the table
`

/** One row of the comparison; figures are numbers, or polynomial strings when a dim stays symbolic. */
export interface CompareRow {
  readonly model: string
  readonly params: number
  readonly macs: Dim
  readonly flops: Dim
  readonly sizeBytes: number
  readonly peakActivationBytes: Dim
  /** Only with --bench. */
  readonly bench?:
    | { readonly state: 'completed'; readonly latencyP50Ms: number; readonly latencyP95Ms: number; readonly fps: number; readonly peakRssBytes: number; readonly conditions: MeasurementConditions }
    | { readonly state: 'errored'; readonly error: { readonly code: string; readonly message: string } }
}

/** What tests may inject instead of the runner. */
export interface CompareDeps {
  readonly benchModel?: (model: ModelRef, options?: BenchOptions) => Promise<BenchResult>
}

/** Runs the command; returns the exit code. */
export async function compareCommand(args: readonly string[], io: CliIo, deps: CompareDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      shape: { type: 'string', multiple: true },
      dim: { type: 'string', multiple: true },
      bench: { type: 'boolean' },
      threads: { type: 'string' },
      time: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(COMPARE_USAGE)
    return 0
  }
  if (positionals.length === 0) throw new ModelgateError('E_CLI_USAGE', 'compare needs at least one model path.', { value: positionals })
  const shapes = parseShapes(values.shape)
  const dims = parseDims(values.dim)
  const threads = parseCount('threads', values.threads, 1)
  const time = parseCount('time', values.time, 1000)
  const bench = values.bench === true ? (deps.benchModel ?? (await import('../bench/index.js')).benchModel) : undefined

  const rows: CompareRow[] = []
  const used = new Set<string>()
  for (const path of positionals) {
    const absolute = resolve(io.cwd, path)
    const own = applicable(absolute, shapes, dims)
    for (const name of Object.keys(own.shapes)) used.add(`--shape ${name}`)
    for (const name of Object.keys(own.dims)) used.add(`--dim ${name}`)
    const analysis = await analyzeModel(absolute, own)
    const row: CompareRow = {
      model: path,
      params: analysis.params.learnable,
      macs: analysis.macs,
      flops: analysis.flops,
      sizeBytes: analysis.sizeBytes,
      peakActivationBytes: analysis.peakActivationBytes,
    }
    if (bench === undefined) {
      rows.push(row)
      continue
    }
    const handle = await loadModel(absolute, { ...own, name: path })
    const result = await bench(handle, { threads, time, calibrate: false })
    rows.push({
      ...row,
      bench: result.state === 'completed'
        ? { state: 'completed', latencyP50Ms: result.latencyMs.p50, latencyP95Ms: result.latencyMs.p95, fps: result.throughput.samplesPerSec, peakRssBytes: result.memory.peakRssBytes, conditions: pickConditions(result.conditions) }
        : { state: 'errored', error: result.error },
    })
  }

  const unused = [...Object.keys(shapes).map((n) => `--shape ${n}`), ...Object.keys(dims).map((n) => `--dim ${n}`)].filter((o) => !used.has(o))
  if (unused.length > 0) throw new ModelgateError('E_CLI_USAGE', `${unused.join(', ')} matches no input of the models compared.`, { value: unused })
  if (values.csv !== undefined) await writeFile(resolve(io.cwd, values.csv), renderCsv(rows, bench !== undefined))
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
    return 0
  }
  io.stdout.write(renderCompareTable(rows, bench !== undefined))
  return 0
}

/** The terminal table of a comparison. */
export function renderCompareTable(rows: readonly CompareRow[], benched: boolean): string {
  const header = ['model', 'params', 'MACs', 'FLOPs', 'size', 'peak memory', ...(benched ? ['p50', 'p95', 'FPS', 'peak RSS'] : [])]
  const cells = rows.map((r) => [
    escapeTerminal(r.model),
    formatSi(r.params),
    formatSi(r.macs),
    formatSi(r.flops),
    formatBytes(r.sizeBytes),
    formatBytes(r.peakActivationBytes),
    ...(!benched || r.bench === undefined
      ? []
      : r.bench.state === 'completed'
        ? [formatMs(r.bench.latencyP50Ms), formatMs(r.bench.latencyP95Ms), formatSi(Number(r.bench.fps.toPrecision(4))), formatBytes(r.bench.peakRssBytes)]
        : [`${r.bench.error.code}`, '', '', '']),
  ])
  const right = new Set(header.map((_, i) => i).filter((i) => i > 0))
  let text = `${renderColumns(header, cells, right)}\n\nMACs: multiply-accumulates; FLOPs: 2 × MACs + element-wise work; peak memory: activations alive at once (static).\n`
  const measured = rows.flatMap((r) => (r.bench?.state === 'completed' ? [r.bench.conditions] : []))
  const c = measured[0]
  if (c !== undefined) {
    text += `latency of one run (batch ${c.batch}), FPS = samples/s; ${escapeTerminal(`${c.machine.cpu} ×${c.machine.cores}, ${c.machine.os}, node ${c.machine.node}`, 400)}, ${c.engine.name} ${c.engine.version} (${c.engine.executionProvider}), intra-op threads ${c.intraOpThreads}.\n`
  }
  return text
}

/** The CSV of a comparison: raw numbers, units in the header. */
export function renderCsv(rows: readonly CompareRow[], benched: boolean): string {
  const header = ['model', 'params', 'macs', 'flops', 'size_bytes', 'peak_activation_bytes', ...(benched ? ['latency_p50_ms', 'latency_p95_ms', 'fps', 'peak_rss_bytes', 'bench_error'] : [])]
  const lines = rows.map((r) => {
    const b = r.bench
    const measured = !benched ? [] : b?.state === 'completed' ? [b.latencyP50Ms, b.latencyP95Ms, b.fps, b.peakRssBytes, null] : [null, null, null, null, b?.state === 'errored' ? b.error.code : null]
    return [r.model, r.params, r.macs, r.flops, r.sizeBytes, r.peakActivationBytes, ...measured].map(escapeCsv).join(',')
  })
  return `${[header.join(','), ...lines].join('\n')}\n`
}

/** The --shape and --dim values that apply to this model (models of one comparison have different inputs). */
function applicable(path: string, shapes: Record<string, number[]>, dims: Record<string, number>): { shapes: Record<string, number[]>; dims: Record<string, number> } {
  if (Object.keys(shapes).length === 0 && Object.keys(dims).length === 0) return { shapes, dims }
  const loaded = readOnnxModel(path)
  try {
    const graph = loaded.model.graph
    const initializers = new Set(graph.initializers.map((t) => t.name))
    const inputs = graph.inputs.filter((v) => !initializers.has(v.name))
    const symbols = new Set(inputs.flatMap((v) => (v.type?.kind === 'tensor' ? (v.type.dims ?? []).filter((d): d is string => typeof d === 'string') : [])))
    return {
      shapes: Object.fromEntries(Object.entries(shapes).filter(([name]) => inputs.some((v) => v.name === name))),
      dims: Object.fromEntries(Object.entries(dims).filter(([symbol]) => symbols.has(symbol))),
    }
  } finally {
    loaded.close()
  }
}

function pickConditions(c: MeasurementConditions): MeasurementConditions {
  return { machine: c.machine, engine: c.engine, intraOpThreads: c.intraOpThreads, interOpThreads: c.interOpThreads, graphOptimizationLevel: c.graphOptimizationLevel, batch: c.batch }
}
