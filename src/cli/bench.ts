/**
 * `modelgate bench <model.onnx> [options]` and `modelgate bench <a.onnx> --vs <b.onnx>`: measured latency,
 * throughput, memory and energy in onnxruntime-node, or a paired latency comparison. Isolated in a child process
 * by default, so a crash or a hang of the engine is reported instead of killing the CLI.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { benchModel, compareLatency, type BenchOptions, type BenchProgress, type CompareOptions, type EngineName, type LatencyComparison } from '../bench/index.js'
import { renderBenchText, renderComparisonText, renderProgress } from '../bench/render-text.js'
import { ModelgateError } from '../errors.js'
import { createModelHandle, type ModelHandle } from '../model/index.js'
import type { CliIo } from './io.js'
import { parseCount, parseDims, parseEngine, parseShapes } from './parse.js'

export const BENCH_USAGE = `modelgate bench <model.onnx> [options]
modelgate bench <a.onnx> --vs <b.onnx> [options]

Measured latency, throughput, memory and energy of a model in onnxruntime (node by default, or web), or a paired comparison.

  --shape NAME=D0,D1,...  concrete dims of an input (repeatable)
  --dim SYMBOL=N          size of a symbolic dim (dim_param), e.g. --dim N=8 (repeatable)
  --input NAME=FILE.npy   a tensor for an input from a NumPy .npy file (repeatable; other inputs are seeded)
  --batch 1,8             batch size(s) for the symbolic batch dim; several give a sweep
  --threads N             intra-op threads (default 1; 0 = onnxruntime's choice; onnxruntime-web: wasm threads)
  --engine NAME           onnxruntime-node (default) or onnxruntime-web (WebAssembly, SIMD on)
  --ep P1,P2              execution providers in order (default cpu; wasm for onnxruntime-web);
                          an absent one is an error listing those this machine offers, never a CPU fallback
  --time MS               measuring time per batch size (default 1000)
  --iterations N          exactly N timed runs instead of --time
  --warmup N              untimed warm-up runs (default 10)
  --vs OTHER.onnx         compare: the first model is A, OTHER is B (interleaved A B B A …)
  --threshold PCT         the slowdown a comparison must catch, in percent (default 10)
  --max-time MS           compare adaptively: add interleaved rounds until the verdict is decided or MS have passed
  --no-fail-on-slower     exit 0 even when OTHER is slower (default: exit 1 when the verdict is \`slower\`)
  --timeout MS            kill the measuring process after MS (default 120000)
  --no-isolate            measure in this process (default: in a child process)
  --json                  print one JSON document
`

function parseBatches(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  const parts = value.split(',').map((s) => s.trim())
  if (parts.length === 0 || parts.some((p) => !/^[1-9]\d*$/.test(p))) {
    throw new ModelgateError('E_CLI_USAGE', `--batch ${JSON.stringify(value)} is not a comma-separated list of positive integers.`, { value })
  }
  return parts.map(Number)
}

function parseInputs(values: readonly string[] | undefined, cwd: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values ?? []) {
    const eq = v.indexOf('=')
    if (eq <= 0 || eq === v.length - 1) throw new ModelgateError('E_CLI_USAGE', `--input ${JSON.stringify(v)} is not NAME=FILE.npy.`, { value: v })
    out[v.slice(0, eq)] = resolve(cwd, v.slice(eq + 1))
  }
  return out
}

function parsePercent(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new ModelgateError('E_CLI_USAGE', `--threshold ${JSON.stringify(value)} is not a positive percentage.`, { value })
  return Number(value) / 100
}

/** A progress reporter: silent off a TTY, and for the first second. */
function progressLine(io: CliIo): { readonly report: (p: BenchProgress) => void; readonly clear: () => void } {
  const started = Date.now()
  let shown = false
  return {
    report(p) {
      const elapsed = Date.now() - started
      if (io.stdout.isTTY !== true || elapsed < 1000) return
      shown = true
      io.stderr.write(`\r${renderProgress(p, elapsed)}\x1b[K`)
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[K')
      shown = false
    },
  }
}

/** Runs the command; returns the exit code (1 when an isolated run crashed or timed out, or `--vs` found the other model slower). */
export async function benchCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    allowNegative: true,
    options: {
      shape: { type: 'string', multiple: true },
      dim: { type: 'string', multiple: true },
      input: { type: 'string', multiple: true },
      batch: { type: 'string' },
      threads: { type: 'string' },
      engine: { type: 'string' },
      ep: { type: 'string', multiple: true },
      time: { type: 'string' },
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      vs: { type: 'string' },
      threshold: { type: 'string' },
      'max-time': { type: 'string' },
      'fail-on-slower': { type: 'boolean', default: true },
      timeout: { type: 'string' },
      isolate: { type: 'boolean', default: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(BENCH_USAGE)
    return 0
  }
  if (positionals.length !== 1) throw new ModelgateError('E_CLI_USAGE', `bench takes exactly one model path (and --vs for a second), got ${positionals.length}.`, { value: positionals })
  if (values.time !== undefined && values.iterations !== undefined) throw new ModelgateError('E_CLI_USAGE', 'Give --time or --iterations, not both.', { value: [values.time, values.iterations] })
  const model = resolve(io.cwd, positionals[0]!)
  const display = positionals[0]!
  const batch = parseBatches(values.batch)
  const common = {
    shapes: parseShapes(values.shape),
    dims: parseDims(values.dim),
    inputs: parseInputs(values.input, io.cwd),
    isolate: values.isolate,
    timeoutMs: parseCount('timeout', values.timeout, 120_000),
    ...(values.threads === undefined ? {} : { threads: parseCount('threads', values.threads, 1) }),
    ...(values.warmup === undefined ? {} : { warmupIterations: parseCount('warmup', values.warmup, 10) }),
    ...parseEngine(values.engine, values.ep),
  }
  const progress = progressLine(io)
  try {
    if (values.vs !== undefined) {
      if (batch !== undefined && batch.length > 1) throw new ModelgateError('E_CLI_USAGE', '--vs compares at one batch size; give a single --batch.', { value: values.batch })
      if (values.iterations !== undefined) throw new ModelgateError('E_CLI_USAGE', '--vs measures for a time (--time MS), not a number of iterations.', { value: values.iterations })
      const threshold = parsePercent(values.threshold)
      const options: CompareOptions = {
        ...common,
        ...(batch?.[0] === undefined ? {} : { batch: batch[0] }),
        ...(values.time === undefined ? {} : { time: parseCount('time', values.time, 1000) }),
        ...(threshold === undefined ? {} : { threshold }),
        ...(values['max-time'] === undefined ? {} : { maxTime: parseCount('max-time', values['max-time'], 15_000) }),
        onProgress: progress.report,
      }
      const comparison = await compareLatency(handleOf(model, display), handleOf(resolve(io.cwd, values.vs), values.vs), options)
      progress.clear()
      io.stdout.write(values.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparisonText(comparison))
      const code = comparisonExitCode(comparison, values['fail-on-slower'])
      if (code !== 0) io.stderr.write(`modelgate: ${values.vs} is slower than ${display} beyond the ${Number((comparison.threshold * 100).toPrecision(4))} % threshold (ratio ${comparison.ratio.toFixed(4)}, 95 % CI ${comparison.ci[0].toFixed(4)}–${comparison.ci[1].toFixed(4)}).\n`)
      return code
    }
    const options: BenchOptions = {
      ...common,
      ...(batch === undefined ? {} : { batch }),
      ...(values.time === undefined ? {} : { time: parseCount('time', values.time, 1000) }),
      ...(values.iterations === undefined ? {} : { iterations: parseCount('iterations', values.iterations, 10) }),
      onProgress: progress.report,
    }
    const result = await benchModel(handleOf(model, display), options)
    progress.clear()
    io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderBenchText(result))
    if (result.state === 'errored') {
      if (values.json) io.stderr.write(`modelgate: ${result.error.code}: ${result.error.message}\n`)
      return 1
    }
    return 0
  } finally {
    progress.clear()
  }
}

/**
 * The exit code of `bench a --vs b`: 1 when b is confidently slower beyond the threshold (verdict `slower`) and
 * the caller fails on that (the default), else 0.
 */
export function comparisonExitCode(comparison: Pick<LatencyComparison, 'verdict'>, failOnSlower: boolean): number {
  return failOnSlower && comparison.verdict === 'slower' ? 1 : 0
}

/** A model handle whose display name is the path as typed. */
function handleOf(path: string, name: string): ModelHandle {
  return createModelHandle(path, { name })
}
