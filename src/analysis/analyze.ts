/**
 * analyzeModel: a model file (or bytes) → a plain, JSON-serialisable report of every static cost figure.
 */
import { holdHiddenClasses } from '../_hidden-classes.js'
import { checkOptionKeys, optionKeys } from '../_options.js'
import { ModelgateError } from '../errors.js'
import { readOnnxModel } from '../onnx/load.js'
import type { OnnxModel } from '../onnx/types.js'
import { nodeLabel } from './context.js'
import { dimAdd, dimSymbols, type Dim } from './dims.js'
import { DimSum } from './dims-running.js'
import { NO_VALUE } from './graph-index.js'
import { inferModel, type InferenceResult, type InferOptions } from './infer.js'
import { newRowSource, signature, withLazyTables } from './lazy-tables.js'
import { nodeTraffic, peakActivationBytes, TrafficSums, valueBytes } from './memory.js'
import { classifyTensors, summarizeParams, type ParamsStats } from './params.js'
import { findTiedWeights, tiedCandidates, type PayloadReader } from './tied.js'

/**
 * Version of the counting conventions (the op cost table). Stamped on every report and baseline: a change to
 * any formula bumps it, so figures from different conventions are never compared silently.
 */
export const COST_MODEL_VERSION = '1.0.0'

/** Options of {@link analyzeModel}. */
export interface AnalyzeOptions {
  /** Input name → concrete dims, e.g. `{ input: [1, 3, 512, 512] }`. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>
  /** Symbolic dim (dim_param) → size, e.g. `{ N: 8 }`. */
  readonly dims?: Readonly<Record<string, number>>
  /** Values of small shape-computing inputs (row-major), for models that take a shape or a count as input. */
  readonly inputValues?: Readonly<Record<string, readonly number[] | readonly string[]>>
  /**
   * Read the weight payloads to count weights stored twice once (identical tensors, one the transpose of another,
   * a tied embedding head): `params.tied` lists the pairs. Costs a read and a SHA-256 of every learnable tensor that
   * shares its shape with another (the whole file, at worst). Off: nothing is read, and `params.tied.candidates`
   * says how many tensors a check would compare.
   * @default false
   */
  readonly dedupeWeights?: boolean
}

/** The keys of {@link AnalyzeOptions}; any other key is refused. */
export const ANALYZE_OPTION_KEYS = optionKeys<AnalyzeOptions>({ shapes: true, dims: true, inputValues: true, dedupeWeights: true })

/** A value's signature in a report. */
export interface SignatureEntry {
  readonly name: string
  readonly dtype: string
  /** null for a non-tensor or an unknown rank; symbolic dims are strings. */
  readonly dims: readonly Dim[] | null
}

/** One node's row. Costs are null for an op no rule covers. */
export interface NodeStats {
  readonly name: string
  readonly opType: string
  readonly domain: string
  readonly counted: boolean
  readonly macs: Dim | null
  readonly flops: Dim | null
  /** Learnable parameters first read by this node. */
  readonly params: number
  readonly bytesRead: Dim
  readonly bytesWritten: Dim
  readonly outputs: readonly SignatureEntry[]
}

/**
 * The analysis report. Counts are exact: a number when a safe integer, the decimal digits of an integer past 2^53
 * (`"1208925819614629174706176"`), or a canonical polynomial string when a symbol is unresolved (a peak over
 * tensor lifetimes may be a simplified `max(…)` of polynomials, symbols taken ≥ 1).
 */
export interface AnalysisReport {
  readonly costModelVersion: string
  readonly model: {
    readonly irVersion: number
    readonly producer: string
    readonly opsets: Readonly<Record<string, number>>
  }
  readonly inputs: readonly SignatureEntry[]
  readonly outputs: readonly SignatureEntry[]
  readonly params: ParamsStats
  /** Bytes on disk: the .onnx file plus its external data files. */
  readonly sizeBytes: number
  readonly fileBytes: number
  readonly externalDataBytes: number
  /** Multiply-accumulates (conv/matmul family), 1 MAC = 1 multiply + 1 add. */
  readonly macs: Dim
  /** Floating-point operations: 2 × MACs + element-wise work. */
  readonly flops: Dim
  /** Σ over nodes of bytes read (inputs and weights) + bytes written (outputs). */
  readonly memoryAccessBytes: Dim
  /** FLOPs per byte of memory access; null when either is symbolic or zero. */
  readonly arithmeticIntensity: number | null
  /** Peak bytes of activations alive at once (graph inputs and outputs included). */
  readonly peakActivationBytes: Dim
  /** Peak activations + bytes of weights, buffers and constants. */
  readonly footprintBytes: Dim
  readonly coverage: {
    readonly nodes: number
    readonly countedNodes: number
    /** Ops no rule covers, `opType` or `domain::opType` → count. */
    readonly unknownOps: Readonly<Record<string, number>>
    /** Nodes that have a rule but read a value only an unknown op could have typed. */
    readonly blockedNodes: number
    readonly complete: boolean
    /** True when unknown ops make every total a lower bound. */
    readonly totalsAreLowerBounds: boolean
  }
  /** Symbols the totals still depend on (names only, never an expression), with the nodes that need them. */
  readonly unresolved: readonly { readonly symbol: string; readonly nodes: readonly string[] }[]
  /** If/Loop/Scan nodes: each subgraph's cost and the cost counted for the node. */
  readonly controlFlow: readonly { readonly node: string; readonly opType: string; readonly macs: Dim; readonly flops: Dim; readonly subgraphs: readonly { readonly name: string; readonly macs: Dim; readonly flops: Dim }[] }[]
  readonly nodes: readonly NodeStats[]
  /** Every main-graph tensor → dtype and dims (built when first read, JSON.stringify included; then kept). */
  readonly tensors: Readonly<Record<string, { readonly dtype: string; readonly dims: readonly Dim[] | null }>>
}

/**
 * Analyses an ONNX model from its file alone: params, size, MACs, FLOPs, memory access, peak memory, coverage.
 * @param input path to an `.onnx` file (external data is read from its folder) or the model's bytes
 * @param options input shapes and symbolic dim sizes
 * @returns a plain JSON-serialisable report (what `modelgate analyze --json` prints)
 * @throws ModelgateError with a documented `code` for every bad input
 */
export async function analyzeModel(input: string | Uint8Array, options: AnalyzeOptions = {}): Promise<AnalysisReport> {
  await Promise.resolve()
  return analyzeModelSync(input, options)
}

/** The synchronous core of {@link analyzeModel} (used by the matchers, which must stay synchronous). */
export function analyzeModelSync(input: string | Uint8Array, options: AnalyzeOptions = {}): AnalysisReport {
  if (options === null || typeof options !== 'object') {
    throw new ModelgateError('E_INPUT', `Options must be an object, got ${typeof options}.`, { value: options })
  }
  checkOptionKeys(options, ANALYZE_OPTION_KEYS, 'analyzeModel()')
  if (options.dedupeWeights !== undefined && typeof options.dedupeWeights !== 'boolean') {
    throw new ModelgateError('E_INPUT', `dedupeWeights must be true or false, got ${JSON.stringify(options.dedupeWeights)}.`, { value: options.dedupeWeights })
  }
  const loaded = readOnnxModel(input)
  try {
    const inferOptions: InferOptions = { shapes: options.shapes, dims: options.dims, inputValues: options.inputValues }
    const result = inferModel(loaded.model, loaded.readPayload, inferOptions)
    return buildReport(loaded.model, result, options.dedupeWeights === true ? loaded.readPayload : undefined)
  } finally {
    loaded.close()
    holdHiddenClasses()
  }
}

function buildReport(model: OnnxModel, result: InferenceResult, readPayload: PayloadReader | undefined): AnalysisReport {
  const graph = model.graph
  const { executed, values, unknownOps: unknown } = result
  const { index } = values
  const classified = classifyTensors(graph, index)
  const tied = readPayload === undefined ? tiedCandidates(classified) : findTiedWeights(classified, graph, readPayload)
  const params = summarizeParams(classified, tied)
  const merged = new Set(tied.pairs.map((p) => p.merged))
  // by value id: 1 for a weight; the elements of a learnable weight not yet attributed to a node (its first
  // reader's), else -1
  const isWeight = new Uint8Array(index.names.length)
  const unattributed = new Float64Array(index.names.length).fill(-1)
  for (let i = 0; i < classified.length; i++) {
    const c = classified[i]!
    const id = c.id
    if (id < 0) continue
    isWeight[id] = 1
    if (c.cls === 'learnable' && !merged.has(c.tensor.name)) unattributed[id] = c.elements
  }

  const bytes = valueBytes(values)
  const trafficSums = new TrafficSums()
  const macsSum = new DimSum()
  const flopsSum = new DimSum()
  const memorySum = new DimSum()
  // the rows' figures, kept compact until the rows are read (see withLazyTables)
  const rows = newRowSource(executed)
  const controlFlow: AnalysisReport['controlFlow'][number][] = []
  for (let n = 0; n < executed.at.length; n++) {
    const at = executed.at[n]!
    const node = graph.nodes[at]!
    const cost = executed.costs[n]
    const traffic = nodeTraffic(at, index, bytes, trafficSums)
    let nodeParams = 0
    for (let k = index.inputStart[at]!; k < index.inputStart[at + 1]!; k++) {
      const id = index.inputIds[k]!
      if (id !== NO_VALUE && unattributed[id]! >= 0) {
        nodeParams += unattributed[id]!
        unattributed[id] = -1
      }
    }
    if (cost) {
      macsSum.add(cost.macs)
      flopsSum.add(cost.flops)
    }
    memorySum.add(traffic.bytesRead)
    memorySum.add(traffic.bytesWritten)
    rows.labels[n] = nodeLabel(node)
    rows.opTypes[n] = node.opType
    rows.domains[n] = node.domain
    rows.params[n] = nodeParams
    rows.bytesRead[n] = traffic.bytesRead
    rows.bytesWritten[n] = traffic.bytesWritten
    const subgraphs = executed.subgraphs.get(n)
    if (subgraphs !== undefined && cost) {
      controlFlow.push({
        node: rows.labels[n]!,
        opType: node.opType,
        macs: cost.macs,
        flops: cost.flops,
        subgraphs: subgraphs.map((s) => ({ name: s.name, macs: s.cost.macs, flops: s.cost.flops })),
      })
    }
  }

  const macs = macsSum.value()
  const flops = flopsSum.value()
  const memoryAccessBytes = memorySum.value()
  // the graph's real inputs (not initializers listed as inputs), each name once
  const liveInputs: number[] = []
  const listed = new Uint8Array(index.names.length)
  for (const v of graph.inputs) {
    const id = index.ids.get(v.name)!
    if (isWeight[id] === 0 && listed[id] === 0) {
      listed[id] = 1
      liveInputs.push(id)
    }
  }
  const isGraphOutput = new Uint8Array(index.names.length)
  for (const o of graph.outputs) isGraphOutput[index.ids.get(o.name)!] = 1
  const { peak } = peakActivationBytes(graph.nodes, executed.at, index, bytes, liveInputs, isGraphOutput)
  const unknownOps = Object.fromEntries([...unknown].sort(([a], [b]) => (a < b ? -1 : 1)))
  const complete = unknown.size === 0 && result.blockedNodes === 0

  const unresolved = new Map<string, string[]>()
  // the symbols of each distinct figure, found once: a deep decoder repeats its layers' figures thousands of times
  const symbolsOf = new Map<string, readonly string[]>()
  for (let n = 0; n < executed.at.length; n++) {
    const cost = rows.costs[n]
    const read = rows.bytesRead[n]!
    const written = rows.bytesWritten[n]!
    // numbers have no symbols: only polynomial strings are looked into
    if (typeof cost?.macs !== 'string' && typeof cost?.flops !== 'string' && typeof read !== 'string' && typeof written !== 'string') continue
    const name = rows.labels[n]!
    for (const v of [cost?.macs ?? null, cost?.flops ?? null, read, written]) {
      if (typeof v !== 'string') continue
      let symbols = symbolsOf.get(v)
      if (symbols === undefined) symbolsOf.set(v, (symbols = dimSymbols(v)))
      for (const s of symbols) {
        let list = unresolved.get(s)
        if (list === undefined) unresolved.set(s, (list = []))
        if (list.length < 5 && !list.includes(name)) list.push(name)
      }
    }
  }
  for (const s of dimSymbols(peak)) if (!unresolved.has(s)) unresolved.set(s, [])

  const report: Omit<AnalysisReport, 'nodes' | 'tensors'> = {
    costModelVersion: COST_MODEL_VERSION,
    model: { irVersion: model.irVersion, producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '), opsets: Object.fromEntries(model.opsets) },
    inputs: liveInputs.map((id) => signature(index.names[id]!, values.type(id))),
    outputs: graph.outputs.map((o) => signature(o.name, values.type(index.ids.get(o.name)!))),
    params,
    sizeBytes: model.fileBytes + model.externalDataBytes,
    fileBytes: model.fileBytes,
    externalDataBytes: model.externalDataBytes,
    macs,
    flops,
    memoryAccessBytes,
    arithmeticIntensity: typeof flops === 'number' && typeof memoryAccessBytes === 'number' && memoryAccessBytes > 0 ? flops / memoryAccessBytes : null,
    peakActivationBytes: peak,
    footprintBytes: dimAdd(peak, params.weightsBytes),
    coverage: { nodes: result.nodeCount, countedNodes: result.countedNodes, unknownOps, blockedNodes: result.blockedNodes, complete, totalsAreLowerBounds: !complete },
    unresolved: [...unresolved].sort(([a], [b]) => (a < b ? -1 : 1)).map(([symbol, list]) => ({ symbol, nodes: list })),
    controlFlow,
  }
  return withLazyTables(report, rows, values)
}
