/**
 * If, Loop and Scan: their bodies are inferred as subgraphs that see the enclosing scope. If costs the
 * costlier branch (a bound; both branches are listed in the report); Loop and Scan cost body × iterations,
 * symbolic when the trip count is not static.
 */
import { isModelgateError } from '../../errors.js'
import type { OnnxGraph } from '../../onnx/types.js'
import { dimAdd, dimMax, dimMul, isStaticDim, type Dim } from '../dims.js'
import type { InferredType, OpContext, OpCost, OpRuleTable, TensorType } from '../types.js'
import { ZERO_COST, normalizeAxis, staticValue } from './_helpers.js'

/** Merges two types of the same value (branches or loop iterations): differing dims become fresh symbols. */
function mergeTypes(ctx: OpContext, a: InferredType | undefined, b: InferredType | undefined, label: string): InferredType | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  if (a.kind === 'tensor' && b.kind === 'tensor') {
    if (a.dims === undefined || b.dims === undefined || a.dims.length !== b.dims.length) return { kind: 'tensor', dtype: a.dtype, dims: undefined }
    const dims = a.dims.map((d, i) => (d === b.dims![i] ? d : ctx.freshDim(`${label}[${i}]`)))
    return { kind: 'tensor', dtype: a.dtype, dims }
  }
  if (a.kind === 'sequence' && b.kind === 'sequence') {
    const elem = mergeTypes(ctx, a.elem ?? a.elems?.[0], b.elem ?? b.elems?.[0], `${label}.elem`)
    return { kind: 'sequence', elems: undefined, elem: elem?.kind === 'tensor' ? elem : undefined }
  }
  return a
}

function stripValue(t: InferredType | undefined): InferredType | undefined {
  if (t?.kind !== 'tensor') return t
  return { kind: 'tensor', dtype: t.dtype, dims: t.dims }
}

function scaleCost(cost: OpCost, times: Dim): OpCost {
  return { macs: dimMul(cost.macs, times), flops: dimMul(cost.flops, times) }
}

const lastCost = new WeakMap<object, OpCost>()

const IF = {
  formula: 'the taken branch when the condition is static, else the costlier branch (both are listed in the report)',
  infer(ctx: OpContext) {
    const thenGraph = ctx.attrGraph('then_branch') ?? ctx.fail('attribute then_branch is required')
    const elseGraph = ctx.attrGraph('else_branch') ?? ctx.fail('attribute else_branch is required')
    const cond = staticValue(ctx.optionalTensor(0))
    if (cond !== undefined && cond.length === 1) {
      // the other branch is dead code for these shapes: it may not even be valid for them (ONNX's own
      // expanded functions branch on rank), so it is listed when it infers and otherwise left out
      const [taken, other] = cond[0] ? [thenGraph, elseGraph] : [elseGraph, thenGraph]
      const result = ctx.inferSubgraph(taken, [])
      try {
        ctx.inferSubgraph(other, [])
      } catch (error) {
        if (!isModelgateError(error) || error.code !== 'E_SHAPE_INFERENCE') throw error
      }
      lastCost.set(ctx.node, result.cost)
      return result.outputs
    }
    const a = ctx.inferSubgraph(thenGraph, [])
    const b = ctx.inferSubgraph(elseGraph, [])
    lastCost.set(ctx.node, { macs: dimMax(a.cost.macs, b.cost.macs), flops: dimMax(a.cost.flops, b.cost.flops) })
    return ctx.node.outputs.map((_, i) => mergeTypes(ctx, a.outputs[i], b.outputs[i], `out${i}`))
  },
  cost: (ctx: OpContext) => lastCost.get(ctx.node) ?? ZERO_COST,
}

/** Loops with a static trip count up to this are inferred iteration by iteration (exact shapes and costs). */
const MAX_UNROLLED_TRIPS = 64

const LOOP = {
  formula: 'body × trip count (symbolic when the trip count is not static)',
  infer(ctx: OpContext) {
    const body = ctx.attrGraph('body') ?? ctx.fail('attribute body is required')
    const maxTrips = staticValue(ctx.optionalTensor(0))?.[0]
    const condIn = ctx.optionalTensor(1)
    const carriedIn = ctx.inputs.slice(2)
    const condInValue = condIn === undefined ? 1 : staticValue(condIn)?.[0]
    if (maxTrips !== undefined && maxTrips <= MAX_UNROLLED_TRIPS && condInValue !== undefined) {
      const unrolled = unrollLoop(ctx, body, maxTrips, condInValue, carriedIn)
      if (unrolled !== undefined) return unrolled
    }
    const iter: TensorType = { kind: 'tensor', dtype: 'int64', dims: [] }
    const condType: TensorType = { kind: 'tensor', dtype: 'bool', dims: [] }
    let carried = carriedIn.map(stripValue)
    let result = ctx.inferSubgraph(body, [iter, condType, ...carried])
    // iterate until loop-carried types are stable (a tensor that grows gets a symbolic dim)
    for (let pass = 0; pass < 3; pass++) {
      const next = carried.map((c, i) => mergeTypes(ctx, c, stripValue(result.outputs[i + 1]), `carried${i}`))
      if (next.every((n, i) => sameType(n, carried[i]))) break
      carried = next
      result = ctx.inferSubgraph(body, [iter, condType, ...carried])
    }
    const condOut = result.outputs[0]
    const condStaysTrue =
      (condIn === undefined || staticValue(condIn)?.[0] === 1) &&
      (condOut === undefined || (condOut.kind === 'tensor' && staticValue(condOut)?.[0] === 1) || body.outputs[0]?.name === body.inputs[1]?.name || isIdentityOfCond(body))
    const trips: Dim = maxTrips !== undefined && condStaysTrue ? maxTrips : ctx.freshDim('trip_count')
    lastCost.set(ctx.node, scaleCost(result.cost, trips))
    const nCarried = carriedIn.length
    const finals = carried.map((c, i) => {
      if (isStaticDim(trips) && trips === 0) return carriedIn[i]
      const out = stripValue(result.outputs[i + 1])
      // the body decides the kind (an optional initial value can become a sequence)
      return out !== undefined && c !== undefined && out.kind !== c.kind ? out : mergeTypes(ctx, c, out, `final${i}`)
    })
    const scans = result.outputs.slice(1 + nCarried).map((o): InferredType | undefined => {
      if (o?.kind !== 'tensor' || o.dims === undefined) return o?.kind === 'tensor' ? { kind: 'tensor', dtype: o.dtype, dims: undefined } : o
      return { kind: 'tensor', dtype: o.dtype, dims: [trips, ...o.dims] }
    })
    return [...finals, ...scans]
  },
  cost: (ctx: OpContext) => lastCost.get(ctx.node) ?? ZERO_COST,
}

/**
 * Runs the body once per iteration with the iteration number and loop-carried values known: exact shapes for
 * loops whose carried tensors grow or that slice by the iteration number. Undefined when the condition
 * becomes unknown on the way.
 */
function unrollLoop(
  ctx: OpContext,
  body: OnnxGraph,
  maxTrips: number,
  condInValue: number,
  carriedIn: readonly (InferredType | undefined)[],
): (InferredType | undefined)[] | undefined {
  // no iteration runs: the general path types the outputs from one pass over the body
  if (maxTrips === 0 || !condInValue) return undefined
  let carried = [...carriedIn]
  let macs: Dim = 0
  let flops: Dim = 0
  const scans: (InferredType | undefined)[][] = []
  let trips = 0
  let cond = condInValue
  while (trips < maxTrips && cond) {
    const result = ctx.inferSubgraph(body, [
      { kind: 'tensor', dtype: 'int64', dims: [], value: [trips] },
      { kind: 'tensor', dtype: 'bool', dims: [], value: [1] },
      ...carried,
    ])
    macs = dimAdd(macs, result.cost.macs)
    flops = dimAdd(flops, result.cost.flops)
    const condOut = result.outputs[0]
    const next = condOut?.kind === 'tensor' ? staticValue(condOut)?.[0] : 1
    if (next === undefined) return undefined
    carried = carried.map((c, i) => result.outputs[i + 1] ?? c)
    scans.push(result.outputs.slice(1 + carriedIn.length))
    trips++
    cond = next
  }
  lastCost.set(ctx.node, { macs, flops })
  const nScan = body.outputs.length - 1 - carriedIn.length
  const scanOutputs = Array.from({ length: nScan }, (_, j): InferredType | undefined => {
    const first = scans[0]?.[j]
    if (first === undefined) return undefined
    if (first.kind !== 'tensor' || first.dims === undefined) return stripValue(first)
    let dims: readonly Dim[] = first.dims
    for (const it of scans) {
      const t = it[j]
      if (t?.kind === 'tensor' && t.dims !== undefined) dims = dims.map((d, k) => (d === t.dims![k] ? d : ctx.freshDim(`scan${j}[${k}]`)))
    }
    return { kind: 'tensor', dtype: first.dtype, dims: [trips, ...dims] }
  })
  return [...carried.map((c) => (c?.kind === 'tensor' && c.value !== undefined && c.value.length > 64 ? stripValue(c) : c)), ...scanOutputs]
}

function sameType(a: InferredType | undefined, b: InferredType | undefined): boolean {
  if (a?.kind === 'tensor' && b?.kind === 'tensor') return a.dtype === b.dtype && JSON.stringify(a.dims) === JSON.stringify(b.dims)
  return a?.kind === b?.kind
}

function isIdentityOfCond(body: { nodes: readonly { opType: string; inputs: readonly string[]; outputs: readonly string[] }[]; inputs: readonly { name: string }[]; outputs: readonly { name: string }[] }): boolean {
  const condIn = body.inputs[1]?.name
  const condOut = body.outputs[0]?.name
  return body.nodes.some((n) => n.opType === 'Identity' && n.inputs[0] === condIn && n.outputs[0] === condOut)
}

const SCAN = {
  formula: 'body × sequence length (× batch for opset 8)',
  infer(ctx: OpContext) {
    const body = ctx.attrGraph('body') ?? ctx.fail('attribute body is required')
    const numScanInputs = ctx.attrInt('num_scan_inputs')
    const v8 = ctx.opset < 9
    const inputs = v8 ? ctx.inputs.slice(1) : ctx.inputs
    const nState = inputs.length - numScanInputs
    const states = inputs.slice(0, nState).map(stripValue)
    const scanInputs = inputs.slice(nState)
    const inAxes = ctx.attrInts('scan_input_axes', scanInputs.map(() => 0))
    let seqLen: Dim | undefined
    let batch: Dim = 1
    const slices = scanInputs.map((s, i) => {
      if (s?.kind !== 'tensor' || s.dims === undefined) return undefined
      if (v8) {
        batch = s.dims[0] ?? 1
        seqLen ??= s.dims[1]
        return { kind: 'tensor', dtype: s.dtype, dims: [...s.dims.slice(2)] } as TensorType
      }
      const axis = normalizeAxis(ctx, inAxes[i] ?? 0, s.dims.length)
      seqLen ??= s.dims[axis]
      return { kind: 'tensor', dtype: s.dtype, dims: s.dims.filter((_, j) => j !== axis) } as TensorType
    })
    const bodyStates = v8 ? states.map((s) => (s?.kind === 'tensor' && s.dims ? { ...s, dims: s.dims.slice(1) } : s)) : states
    const result = ctx.inferSubgraph(body, [...bodyStates, ...slices])
    const len = seqLen ?? ctx.freshDim('sequence_length')
    lastCost.set(ctx.node, scaleCost(result.cost, dimMul(len, batch)))
    const outStates = result.outputs.slice(0, nState).map((o, i) => (v8 && o?.kind === 'tensor' && o.dims ? { ...o, dims: [states[i]?.kind === 'tensor' ? (states[i] as TensorType).dims?.[0] ?? batch : batch, ...o.dims] } : stripValue(o)))
    const nScanOut = result.outputs.length - nState
    const outAxes = ctx.attrInts('scan_output_axes', Array.from({ length: nScanOut }, () => 0))
    const scanOuts = result.outputs.slice(nState).map((o, i): InferredType | undefined => {
      if (o?.kind !== 'tensor' || o.dims === undefined) return stripValue(o)
      if (v8) return { kind: 'tensor', dtype: o.dtype, dims: [batch, len, ...o.dims] }
      const rank = o.dims.length + 1
      const axis = normalizeAxis(ctx, outAxes[i] ?? 0, rank)
      const dims = [...o.dims]
      dims.splice(axis, 0, len)
      return { kind: 'tensor', dtype: o.dtype, dims }
    })
    return [...outStates, ...scanOuts]
  },
  cost: (ctx: OpContext) => lastCost.get(ctx.node) ?? ZERO_COST,
}

const SEQUENCE_MAP = {
  formula: 'body × number of sequence elements',
  infer(ctx: OpContext) {
    const body = ctx.attrGraph('body') ?? ctx.fail('attribute body is required')
    const first = ctx.inputs[0]
    if (first?.kind !== 'sequence') return ctx.fail('input 0 should be a sequence')
    const count = first.elems?.length
    const elementAt = (t: InferredType | undefined, i: number | undefined): InferredType | undefined =>
      t?.kind === 'sequence' ? (i !== undefined ? t.elems?.[i] : undefined) ?? t.elem : t
    if (count !== undefined) {
      let cost: OpCost = ZERO_COST
      const perOutput: TensorType[][] = ctx.node.outputs.map(() => [])
      for (let i = 0; i < count; i++) {
        const r = ctx.inferSubgraph(body, ctx.inputs.map((t) => elementAt(t, i)))
        cost = { macs: dimAdd(cost.macs, r.cost.macs), flops: dimAdd(cost.flops, r.cost.flops) }
        r.outputs.forEach((o, j) => {
          if (o?.kind === 'tensor') perOutput[j]?.push(o)
        })
      }
      lastCost.set(ctx.node, cost)
      return perOutput.map((elems): InferredType => ({ kind: 'sequence', elems: elems.length === count ? elems : undefined, elem: elems.length === count ? undefined : elems[0] }))
    }
    const r = ctx.inferSubgraph(body, ctx.inputs.map((t) => elementAt(t, undefined)))
    lastCost.set(ctx.node, scaleCost(r.cost, ctx.freshDim('sequence_length')))
    return r.outputs.map((o): InferredType => ({ kind: 'sequence', elems: undefined, elem: o?.kind === 'tensor' ? stripValue(o) as TensorType : undefined }))
  },
  cost: (ctx: OpContext) => lastCost.get(ctx.node) ?? ZERO_COST,
}

/** Control-flow rules. */
export const CONTROL_FLOW_RULES: OpRuleTable = { If: IF, Loop: LOOP, Scan: SCAN, SequenceMap: SEQUENCE_MAP }

