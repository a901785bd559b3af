/**
 * Inference results kept once however often they recur: the types and costs of a large graph's nodes repeat a
 * few values (every block of a network writes the same activations at the same cost), and they all stay alive
 * until the report is built. Results are never changed in place, so one object can stand for all equal ones.
 */
import type { AttributeValue } from '../onnx/types.js'
import type { InferredType, OpCost, TensorType } from './types.js'

/**
 * Types without known elements, one object per dtype and dims: node outputs of the same type (every activation of
 * a repeated block) keep one object instead of one each, as they stay alive until the report (types are never
 * changed in place). An output equal to one of its node's inputs (what an element-wise op writes) is found
 * without a key; others by a key of their dtype and dims.
 */
export class SharedTypes {
  private readonly byKey = new Map<string, TensorType>()

  /** `out`, or an equal type met before. */
  share(out: InferredType | undefined, inputs: readonly (InferredType | undefined)[]): InferredType | undefined {
    if (out?.kind !== 'tensor' || out.dims === undefined || out.value !== undefined || out.strings !== undefined) return out
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i]
      if (t?.kind === 'tensor' && t.value === undefined && t.strings === undefined && sameType(t, out)) return t
    }
    const key = `${out.dtype}\u0001${out.dims.join('\u0001')}`
    const known = this.byKey.get(key)
    // the key is checked: a symbol's name may hold the separator
    if (known !== undefined) return sameType(known, out) ? known : out
    this.byKey.set(key, out)
    return out
  }
}

/** True when both have the same dtype and the same (known) dims. */
function sameType(a: TensorType, b: TensorType): boolean {
  if (a.dtype !== b.dtype || a.dims === undefined || b.dims === undefined) return false
  if (a.dims === b.dims) return true
  if (a.dims.length !== b.dims.length) return false
  for (let d = 0; d < a.dims.length; d++) if (a.dims[d] !== b.dims[d]) return false
  return true
}

/** Node costs whose MACs and FLOPs are both numbers, one object per pair. */
export class SharedCosts {
  private readonly byMacs = new Map<number, Map<number, OpCost>>()

  /** `cost`, or an equal one met before. */
  share(cost: OpCost | undefined): OpCost | undefined {
    if (cost === undefined || typeof cost.macs !== 'number' || typeof cost.flops !== 'number') return cost
    let byFlops = this.byMacs.get(cost.macs)
    if (byFlops === undefined) this.byMacs.set(cost.macs, (byFlops = new Map()))
    const known = byFlops.get(cost.flops)
    if (known !== undefined) return known
    byFlops.set(cost.flops, cost)
    return cost
  }
}

/** What a rule gave for a node: its outputs (already shared) and cost. */
export interface RuleResult {
  readonly outputs: readonly (InferredType | undefined)[]
  readonly cost: OpCost | undefined
}

/** A rule's result and everything of its node the rule could see. */
interface SeenNode extends RuleResult {
  readonly domain: string
  readonly opType: string
  readonly opset: number
  readonly outputMask: number
  readonly inputs: readonly (InferredType | undefined)[]
}

/** Results kept per rule and attribute map: the latest few (a repeated block meets each kind of node a few ways). */
const RESULTS_PER_ATTRIBUTES = 4

/** Attribute maps without attributes, as one key (nodes decoded by protobufjs each have a map of their own). */
const EMPTY_ATTRIBUTES: ReadonlyMap<string, AttributeValue> = new Map()

/**
 * Rule results by what a rule sees of a node: domain, op type and opset, attributes, input types and which
 * outputs are written (names and anything else tied to one node are not seen: a rule that names a fresh symbol
 * after its node is never kept). The layers of a network repeat nodes exactly — the decoder gives equal
 * attributes one map, {@link SharedTypes} gives equal types one object — so a repeated node is matched by
 * identity, and its rule runs once per distinct node instead of once per node. The caller only asks for nodes
 * whose attributes hold no tensor or graph (a rule could read those as values, or run subgraphs).
 */
export class RepeatedNodes {
  private readonly byRule = new Map<object, Map<ReadonlyMap<string, AttributeValue>, SeenNode[]>>()
  /** The node the last {@link find} did not find, and the list its result goes to: for {@link keep}. */
  private missed: SeenNode[] | undefined
  private missedDomain = ''
  private missedOpType = ''
  private missedOpset = 0
  private missedMask = 0
  private missedInputs: readonly (InferredType | undefined)[] = []

  /**
   * The result kept for an equal node, or undefined (then {@link keep} may keep this node's).
   * @param outputMask bit i set when output i is written (name not empty)
   */
  find(
    rule: object,
    attributes: ReadonlyMap<string, AttributeValue>,
    domain: string,
    opType: string,
    opset: number,
    outputMask: number,
    inputs: readonly (InferredType | undefined)[],
  ): RuleResult | undefined {
    this.missed = undefined
    let byAttributes = this.byRule.get(rule)
    if (byAttributes === undefined) this.byRule.set(rule, (byAttributes = new Map()))
    const key = attributes.size === 0 ? EMPTY_ATTRIBUTES : attributes
    let seen = byAttributes.get(key)
    if (seen === undefined) byAttributes.set(key, (seen = []))
    for (let s = 0; s < seen.length; s++) {
      const known = seen[s]!
      if (known.opType !== opType || known.domain !== domain || known.opset !== opset || known.outputMask !== outputMask || known.inputs.length !== inputs.length) continue
      let i = 0
      while (i < inputs.length && known.inputs[i] === inputs[i]) i++
      if (i === inputs.length) return known
    }
    this.missed = seen
    this.missedDomain = domain
    this.missedOpType = opType
    this.missedOpset = opset
    this.missedMask = outputMask
    this.missedInputs = inputs
    return undefined
  }

  /** Keeps the rule's result for the node the last {@link find} did not find (called before any other find). */
  keep(result: RuleResult): void {
    const seen = this.missed
    if (seen === undefined) return
    this.missed = undefined
    if (seen.length === RESULTS_PER_ATTRIBUTES) seen.pop()
    seen.unshift({
      domain: this.missedDomain,
      opType: this.missedOpType,
      opset: this.missedOpset,
      outputMask: this.missedMask,
      inputs: this.missedInputs,
      outputs: result.outputs,
      cost: result.cost,
    })
  }
}
