/**
 * The report's two large tables — the node rows (`nodes`) and the per-tensor table (`tensors`) — built the
 * first time they are read, from compact per-node figures and the inferred types (see {@link withLazyTables}).
 */
import type { Dim } from './dims.js'
import { NO_VALUE } from './graph-index.js'
import type { ExecutedNodes } from './infer.js'
import type { ValueTable } from './scope.js'
import type { InferredType, OpCost } from './types.js'
import type { AnalysisReport, NodeStats, SignatureEntry } from './analyze.js'

/** A value's signature as the report lists it. */
export function signature(name: string, type: InferredType | undefined): SignatureEntry {
  if (type?.kind === 'tensor') return { name, dtype: type.dtype, dims: type.dims ?? null }
  return { name, dtype: type?.kind ?? 'unknown', dims: null }
}

/** Signatures of node `at`'s outputs, omitted ones ('') left out. */
function outputSignatures(
  at: number,
  outputStart: Int32Array,
  outputIds: Int32Array,
  names: readonly string[],
  type: (id: number) => InferredType | undefined,
): SignatureEntry[] {
  const first = outputStart[at]!
  const end = outputStart[at + 1]!
  let omitted = 0
  for (let k = first; k < end; k++) if (outputIds[k] === NO_VALUE) omitted++
  const out = new Array<SignatureEntry>(end - first - omitted)
  for (let k = first, j = 0; k < end; k++) {
    const id = outputIds[k]!
    if (id !== NO_VALUE) out[j++] = signature(names[id]!, type(id))
  }
  return out
}

/** The figures of the report's node rows, in execution order, from which the rows are built when first read. */
export interface RowSource {
  /** Each row's node: its position in the graph's node list. */
  readonly at: readonly number[]
  readonly costs: readonly (OpCost | undefined)[]
  readonly labels: string[]
  readonly opTypes: string[]
  readonly domains: string[]
  readonly params: Float64Array
  readonly bytesRead: Dim[]
  readonly bytesWritten: Dim[]
}

/** The executed nodes' positions and costs, and room for the rest of their rows' figures. */
export function newRowSource(executed: ExecutedNodes): RowSource {
  const length = executed.at.length
  return {
    at: executed.at,
    costs: executed.costs,
    labels: new Array<string>(length),
    opTypes: new Array<string>(length),
    domains: new Array<string>(length),
    params: new Float64Array(length),
    bytesRead: new Array<Dim>(length),
    bytesWritten: new Array<Dim>(length),
  }
}

type TensorTable = AnalysisReport['tensors']

/**
 * The report with its `nodes` rows and its `tensors` table, each built the first time it is read (by code, by
 * JSON.stringify or a copy) from the figures and inferred types kept for it: on a large graph, an object per node
 * and a key per tensor cost more to build than the whole rest of the report, and the gate reads neither. Enumerable
 * properties like the others, in the same order; each built once.
 */
export function withLazyTables(report: Omit<AnalysisReport, 'nodes' | 'tensors'>, rowSource: RowSource, values: ValueTable): AnalysisReport {
  // what the tables are built from: the names and types, not the lookup structures around them
  const { names, outputStart, outputIds } = values.index
  let types: readonly (InferredType | undefined)[] | undefined = values.types
  let rowsLeft: RowSource | undefined = rowSource
  let order: Readonly<Int32Array> | undefined = values.order
  let rows: NodeStats[] | undefined
  let table: TensorTable | undefined
  const typeOf = (id: number): InferredType | undefined => types![id]
  const buildRows = (): NodeStats[] => {
    const r = rowsLeft!
    const out = new Array<NodeStats>(r.labels.length)
    for (let n = 0; n < out.length; n++) {
      const cost = r.costs[n]
      out[n] = {
        name: r.labels[n]!,
        opType: r.opTypes[n]!,
        domain: r.domains[n]!,
        counted: cost !== undefined,
        macs: cost?.macs ?? null,
        flops: cost?.flops ?? null,
        params: r.params[n]!,
        bytesRead: r.bytesRead[n]!,
        bytesWritten: r.bytesWritten[n]!,
        outputs: outputSignatures(r.at[n]!, outputStart, outputIds, names, typeOf),
      }
    }
    rowsLeft = undefined
    release()
    return out
  }
  const buildTable = (): TensorTable => {
    const out: Record<string, { dtype: string; dims: readonly Dim[] | null }> = {}
    for (const id of order!) {
      const type = types![id]
      if (type?.kind === 'tensor') out[names[id]!] = { dtype: type.dtype, dims: type.dims ?? null }
    }
    order = undefined
    release()
    return out
  }
  // the types are let go once both tables hold what they need of them
  const release = (): void => {
    if (rowsLeft === undefined && order === undefined) types = undefined
  }
  Object.defineProperty(report, 'nodes', { enumerable: true, configurable: true, get: () => (rows ??= buildRows()) })
  return Object.defineProperty(report, 'tensors', { enumerable: true, configurable: true, get: () => (table ??= buildTable()) }) as AnalysisReport
}
