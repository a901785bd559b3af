/**
 * `modelgate eval <model.onnx> --data <dir> [--top 5] [--json]`: accuracy of a model on a labelled data set from
 * disk, plus its latency (batch 1, measured by the runner) so the figures of an accuracy–efficiency claim come
 * from one command. `--json` prints a modelgate report (schema modelgate-report/1, the evaluation under
 * `evaluation`) that `modelgate report --pareto latency,accuracy` reads.
 */
import { createRequire } from 'node:module'
import { relative, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { evaluateModel, IMAGENET_MEAN, IMAGENET_STD, type EvaluateOptions, type EvaluationResult, type PreprocessOptions } from '../accuracy/index.js'
import { renderEvaluationText } from '../accuracy/render-text.js'
import { COST_MODEL_VERSION } from '../analysis/index.js'
import { benchModel, type BenchCompleted } from '../bench/index.js'
import { ModelgateError } from '../errors.js'
import { createModelHandle } from '../model/index.js'
import type { GateReport, MetricResult } from '../report/types.js'
import type { CliIo } from './io.js'
import { parseCount, parseDims, parseShapes } from './parse.js'

export const EVAL_USAGE = `modelgate eval <model.onnx> --data <path> [options]

Accuracy of a model on a labelled data set from disk, and its latency.

  --data PATH             ImageFolder (<root>/<class>/*.png|jpg), tensor set (.npz; inputs.npy + labels.npy;
                          *.pb + labels.json), detection set (annotations.json) or segmentation set (images/ + masks/)
  --top K                 also report top-K accuracy (default 5)
  --batch N               samples per run (default: the model's batch, or 32 when symbolic)
  --decoder NAME          auto | sharp | pure-js (default auto: sharp when installed)
  --size H[,W]            image size (default: the model input's)
  --resize MODE           cover | stretch | N (shorter side to N, then centre crop)
  --mean A,B,C --std A,B,C  normalisation of pixels scaled to [0, 1]; --imagenet for ImageNet's
  --layout NCHW|NHWC      (default: from the input's dims)   --bgr  channel order BGR
  --limit N               evaluate at most N samples (spread over the classes)
  --time-budget MS        stop starting batches after MS
  --threads N             intra-op threads (default 1)
  --shape NAME=D0,D1,...  --dim SYMBOL=N   as for analyze
  --no-latency            skip the latency measurement
  --json                  print a modelgate report (JSON) for \`modelgate report --pareto latency,accuracy\`
`

function numbers(name: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  const parts = value.split(',').map((s) => s.trim())
  if (parts.some((p) => !/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(p))) throw new ModelgateError('E_CLI_USAGE', `--${name} ${JSON.stringify(value)} is not a comma-separated list of numbers.`, { value })
  return parts.map(Number)
}

function preprocessOptions(values: Record<string, string | boolean | string[] | undefined>): PreprocessOptions {
  const out: { -readonly [K in keyof PreprocessOptions]?: PreprocessOptions[K] } = {}
  const size = numbers('size', values.size as string | undefined)
  if (size !== undefined) out.size = size.length === 1 ? size[0]! : [size[0]!, size[1]!]
  const resize = values.resize as string | undefined
  if (resize !== undefined) {
    if (resize !== 'cover' && resize !== 'stretch' && !/^\d+$/.test(resize)) throw new ModelgateError('E_CLI_USAGE', `--resize ${JSON.stringify(resize)} is not cover, stretch or a number.`, { value: resize })
    out.resize = /^\d+$/.test(resize) ? Number(resize) : (resize as 'cover' | 'stretch')
  }
  const mean = values.imagenet === true ? IMAGENET_MEAN : numbers('mean', values.mean as string | undefined)
  const std = values.imagenet === true ? IMAGENET_STD : numbers('std', values.std as string | undefined)
  if (mean !== undefined) out.mean = mean
  if (std !== undefined) out.std = std
  const layout = values.layout as string | undefined
  if (layout !== undefined) {
    if (layout !== 'NCHW' && layout !== 'NHWC') throw new ModelgateError('E_CLI_USAGE', `--layout ${JSON.stringify(layout)} is not NCHW or NHWC.`, { value: layout })
    out.layout = layout
  }
  if (values.bgr === true) out.channelOrder = 'BGR'
  return out
}

const requireHere = createRequire(import.meta.url)

function packageVersion(): string {
  try {
    return (requireHere('../../package.json') as { version?: string }).version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

function row(model: string, metric: string, unit: string, direction: 'lower' | 'higher', current: number, extra: Partial<MetricResult> = {}): MetricResult {
  return { model, metric, unit, direction, baseline: null, current, deltaPct: null, tolerance: {}, verdict: 'new', note: 'modelgate eval: no baseline', ...extra }
}

/** The evaluation (and latency) as a modelgate report. */
export function evaluationReport(model: string, r: EvaluationResult, statics: { params?: number; macs?: number }, latency: BenchCompleted | undefined): GateReport & { evaluation: EvaluationResult } {
  const results: MetricResult[] = []
  if (statics.params !== undefined) results.push(row(model, 'params', 'params', 'lower', statics.params))
  if (statics.macs !== undefined) results.push(row(model, 'macs', 'MACs', 'lower', statics.macs))
  if (latency !== undefined) results.push(row(model, 'latency.p50', 'ms', 'lower', latency.latencyMs.p50, { statistics: { samples: latency.latencyMs.samples, p95: latency.latencyMs.p95, mad: latency.latencyMs.mad, batch: latency.conditions.batch } }))
  const stats = { samples: r.evaluated, dataset: r.dataset.path, decoder: r.decoder?.label ?? 'none (tensors)' }
  if (r.task === 'classification') {
    for (const [k, v] of Object.entries(r.metrics.topK)) results.push(row(model, k === '1' ? 'accuracy' : `accuracy.top${k}`, 'ratio', 'higher', v, { statistics: stats }))
  } else if (r.task === 'detection') {
    if (r.map !== null) results.push(row(model, 'map', 'ratio', 'higher', r.map, { statistics: stats }))
    if (r.map50 !== null) results.push(row(model, 'map50', 'ratio', 'higher', r.map50, { statistics: stats }))
  } else if (r.miou !== null) results.push(row(model, 'miou', 'ratio', 'higher', r.miou, { statistics: stats }))
  return {
    schema: 'modelgate-report/1',
    modelgateVersion: packageVersion(),
    costModelVersion: COST_MODEL_VERSION,
    shards: [],
    results,
    updateCommand: 'modelgate eval (no baselines)',
    evaluation: r,
  }
}

/** Runs the command; returns the exit code. */
export async function evalCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      data: { type: 'string' }, top: { type: 'string' }, batch: { type: 'string' }, decoder: { type: 'string' },
      size: { type: 'string' }, resize: { type: 'string' }, mean: { type: 'string' }, std: { type: 'string' }, imagenet: { type: 'boolean' },
      layout: { type: 'string' }, bgr: { type: 'boolean' }, limit: { type: 'string' }, 'time-budget': { type: 'string' }, threads: { type: 'string' },
      shape: { type: 'string', multiple: true }, dim: { type: 'string', multiple: true }, 'no-latency': { type: 'boolean' }, json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) {
    io.stdout.write(EVAL_USAGE)
    return 0
  }
  if (positionals.length !== 1) throw new ModelgateError('E_CLI_USAGE', `eval takes exactly one model path, got ${positionals.length}.`, { value: positionals })
  if (values.data === undefined) throw new ModelgateError('E_CLI_USAGE', 'eval needs --data <path> (the labelled data set).', { value: args })
  const decoder = values.decoder ?? 'auto'
  if (decoder !== 'auto' && decoder !== 'sharp' && decoder !== 'pure-js') throw new ModelgateError('E_CLI_USAGE', `--decoder ${JSON.stringify(decoder)} is not auto, sharp or pure-js.`, { value: decoder })
  const top = parseCount('top', values.top, 5)
  const modelPath = positionals[0]!
  const handle = createModelHandle(resolve(io.cwd, modelPath), { shapes: parseShapes(values.shape), dims: parseDims(values.dim), name: modelPath })
  const options: EvaluateOptions = {
    topK: [...new Set([1, ...(top > 0 ? [top] : [])])],
    decoder,
    preprocess: preprocessOptions(values),
    progress: { write: (s: string) => io.stderr.write(s), isTTY: io.stdout.isTTY === true && values.json !== true },
    ...(values.batch === undefined ? {} : { batchSize: parseCount('batch', values.batch, 1) }),
    ...(values.limit === undefined ? {} : { limit: parseCount('limit', values.limit, 0) }),
    ...(values['time-budget'] === undefined ? {} : { timeBudgetMs: parseCount('time-budget', values['time-budget'], 0) }),
    ...(values.threads === undefined ? {} : { threads: parseCount('threads', values.threads, 1) }),
  }
  const result = await evaluateModel(handle, resolve(io.cwd, values.data), options)
  let latency: BenchCompleted | undefined
  if (values['no-latency'] !== true) {
    const run = await benchModel(handle, { ...(values.threads === undefined ? {} : { threads: parseCount('threads', values.threads, 1) }) })
    if (run.state === 'completed') latency = run
  }
  const statics: { params?: number; macs?: number } = {}
  try {
    const report = createModelHandle(handle.path, { shapes: handle.options.shapes ?? {}, dims: { N: 1, ...handle.options.dims } }).analysis()
    statics.params = report.params.learnable
    if (typeof report.macs === 'number') statics.macs = report.macs
  } catch {
    // figures the analyzer cannot give are left out
  }
  const posix = (p: string): string => relative(io.cwd, p).split(sep).join('/')
  const shown: EvaluationResult = { ...result, dataset: { ...result.dataset, path: posix(result.dataset.path) } }
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(evaluationReport(posix(handle.path), shown, statics, latency), null, 2)}\n`)
    return 0
  }
  let text = renderEvaluationText(shown, modelPath)
  if (latency !== undefined) text += `latency        p50 ${formatMs(latency.latencyMs.p50)} (batch ${latency.conditions.batch}, ${latency.latencyMs.samples} timed runs)\n`
  if (statics.params !== undefined) text += `model          ${formatCount(statics.params)} params${statics.macs === undefined ? '' : `, ${formatCount(statics.macs)} MACs per sample`}\n`
  io.stdout.write(text)
  return 0
}

function formatMs(ms: number): string {
  return ms < 1 ? `${Number((ms * 1000).toPrecision(4))} µs` : `${Number(ms.toPrecision(4))} ms`
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}
