/**
 * Inference results kept once however often they recur: the types and costs of a large graph's nodes repeat a
 * few values (every block of a network writes the same activations at the same cost), and they all stay alive
 * until the report is built. Results are never changed in place, so one object can stand for all equal ones.
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { isFloatType } from '../onnx/dtypes.js'
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
  /** The latest types shared (see {@link RECENT_TYPES}). */
  private readonly recent: TensorType[] = []
  private next = 0

  /** `out`, or an equal type met before. */
  share(out: InferredType | undefined, inputs: readonly (InferredType | undefined)[]): InferredType | undefined {
    if (out?.kind !== 'tensor' || out.dims === undefined || out.value !== undefined || out.strings !== undefined) return out
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i]
      if (t?.kind === 'tensor' && t.value === undefined && t.strings === undefined && sameType(t, out)) return t
    }
    const found = this.recentType(out)
    if (found !== undefined) return found
    const key = `${out.dtype}\u0001${out.dims.join('\u0001')}`
    const known = this.byKey.get(key)
    let type: TensorType = out
    if (known === undefined) this.byKey.set(key, out)
    else if (sameType(known, out)) type = known
    // the key is checked: a symbol's name may hold the separator (such a type is not shared)
    else return out
    this.recent[this.next] = type
    this.next = (this.next + 1) % RECENT_TYPES
    return type
  }

  /**
   * The type without known elements of `t`'s dtype and dims, one object per pair: what a rule that never looked at
   * a constant's value saw of it (see {@link ValueWatch}).
   */
  valueless(t: TensorType): TensorType {
    return this.recentType(t) ?? (this.share({ kind: 'tensor', dtype: t.dtype, dims: t.dims }, NO_TYPES) as TensorType)
  }

  /** One of the latest types shared with `t`'s dtype and dims, found without a key. */
  private recentType(t: TensorType): TensorType | undefined {
    for (let i = 0; i < this.recent.length; i++) if (sameType(this.recent[i]!, t)) return this.recent[i]!
    return undefined
  }
}
keepHiddenClass(() => new SharedTypes())

/**
 * How many of the latest types shared {@link SharedTypes} compares with before building a key: a repeated block's
 * constants (each layer's weight, bias and scale, bound one after another) and activations come back in turn.
 */
const RECENT_TYPES = 4

/** No types (see SharedTypes.share). */
const NO_TYPES: readonly (InferredType | undefined)[] = Object.freeze([])

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
keepHiddenClass(() => new SharedCosts())

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
  /**
   * The input types the rule saw; when {@link valueFree}, with each float constant's type replaced by its
   * value-less one ({@link SharedTypes.valueless}).
   */
  readonly inputs: readonly (InferredType | undefined)[]
  /** True when the rule never looked at the value of a float constant input: the result holds for any values. */
  readonly valueFree: boolean
}

/**
 * Results kept per rule and attribute map: the latest few. A repeated block meets each kind of node a few ways; a
 * transformer layer meets MatMul six or more (projections, QKᵀ, AV, the MLP), and with 4 kept every one of
 * ViT-B/16's 72 MatMuls ran its rule (with 16: 6 did).
 */
const RESULTS_PER_ATTRIBUTES = 16

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
  constructor(private readonly types: SharedTypes) {}

  private readonly byRule = new Map<object, Map<ReadonlyMap<string, AttributeValue>, SeenNode[]>>()
  /** The node the last {@link find} did not find, and the list its result goes to: for {@link keep}. */
  private missed: SeenNode[] | undefined
  private missedDomain = ''
  private missedOpType = ''
  private missedOpset = 0
  private missedMask = 0

  /**
   * The result kept for an equal node, or undefined (then {@link keep} may keep this node's). `inputs` is only
   * read: a caller may pass a list it fills again for the next node.
   * @param outputMask bit i set when output i is written (name not empty)
   * @param onlyValueFree match only a result that holds whatever its float constants' values: set when an input is a
   *   constant not read yet, whose type (without elements) is the one of every value of its dtype and dims
   */
  find(
    rule: object,
    attributes: ReadonlyMap<string, AttributeValue>,
    domain: string,
    opType: string,
    opset: number,
    outputMask: number,
    inputs: readonly (InferredType | undefined)[],
    onlyValueFree = false,
  ): RuleResult | undefined {
    this.missed = undefined
    let byAttributes = this.byRule.get(rule)
    if (byAttributes === undefined) this.byRule.set(rule, (byAttributes = new Map()))
    const key = attributes.size === 0 ? EMPTY_ATTRIBUTES : attributes
    let seen = byAttributes.get(key)
    if (seen === undefined) byAttributes.set(key, (seen = []))
    // the inputs as a value-free result is kept: built when such a result is met (a node reading constants)
    let valueless: readonly (InferredType | undefined)[] | undefined
    for (let s = 0; s < seen.length; s++) {
      const known = seen[s]!
      if (known.opType !== opType || known.domain !== domain || known.opset !== opset || known.outputMask !== outputMask || known.inputs.length !== inputs.length) continue
      if (onlyValueFree && !known.valueFree) continue
      const compared = known.valueFree ? (valueless ??= this.withoutValues(inputs)) : inputs
      let i = 0
      while (i < compared.length && known.inputs[i] === compared[i]) i++
      if (i === compared.length) return known
    }
    this.missed = seen
    this.missedDomain = domain
    this.missedOpType = opType
    this.missedOpset = opset
    this.missedMask = outputMask
    return undefined
  }

  /**
   * Keeps the rule's result for the node the last {@link find} did not find (called before any other find).
   * @param valueFree true when the rule never looked at a float constant input's value (see {@link ValueWatch}):
   *   the result then stands for the same node reading other constants of the same dtypes and dims
   * @param inputs the input types given to that find, in a list of the caller's that is kept as it is
   */
  keep(result: RuleResult, valueFree: boolean, inputs: readonly (InferredType | undefined)[]): void {
    const seen = this.missed
    if (seen === undefined) return
    this.missed = undefined
    if (seen.length === RESULTS_PER_ATTRIBUTES) seen.pop()
    seen.unshift({
      domain: this.missedDomain,
      opType: this.missedOpType,
      opset: this.missedOpset,
      outputMask: this.missedMask,
      inputs: valueFree ? this.withoutValues(inputs) : inputs,
      valueFree,
      outputs: result.outputs,
      cost: result.cost,
    })
  }

  /** `inputs` with each float constant's type replaced by its value-less one (see {@link isFloatConstant}). */
  private withoutValues(inputs: readonly (InferredType | undefined)[]): readonly (InferredType | undefined)[] {
    let out: (InferredType | undefined)[] | undefined
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i]
      if (!isFloatConstant(t)) continue
      out ??= inputs.slice()
      out[i] = this.types.valueless(t)
    }
    return out ?? inputs
  }
}
keepHiddenClass(() => new RepeatedNodes(new SharedTypes()))

/**
 * True for a floating-point tensor type whose elements are known: a float constant (a bias, a scale, a GELU's 0.5)
 * or a value computed from them. Those are what {@link ValueWatch} watches: the values of integer constants (shapes,
 * axes, indices) are what their readers are there for.
 */
export function isFloatConstant(t: InferredType | undefined): t is TensorType {
  return t?.kind === 'tensor' && t.value !== undefined && isFloatType(t.dtype)
}

/**
 * Watches whether a rule looks at the elements of the float constants among its inputs. The rule is given the
 * inputs with each such constant behind a proxy that notes any read of `value` or `strings` (a spread or key
 * listing included); a rule that read none, and returned none of those inputs as an output (an Identity of a
 * constant passes its value on without reading it), gave a result that holds for any values: {@link RepeatedNodes}
 * then keeps it for the same node reading other constants of the same dtypes and dims. A weight-like constant
 * (a Conv bias, a per-channel scale, a GELU's 0.5: one per layer) no longer makes each layer's node one of its own.
 */
export class ValueWatch {
  /** True once the rule read a watched input's elements. */
  read = false
  private readonly watched: object[] = []
  private readonly handler: ProxyHandler<TensorType> = {
    get: (target, key) => {
      if (key === 'value' || key === 'strings') this.read = true
      return Reflect.get(target, key)
    },
    has: (target, key) => {
      if (key === 'value' || key === 'strings') this.read = true
      return Reflect.has(target, key)
    },
    ownKeys: (target) => {
      this.read = true
      return Reflect.ownKeys(target)
    },
    getOwnPropertyDescriptor: (target, key) => {
      if (key === 'value' || key === 'strings') this.read = true
      return Reflect.getOwnPropertyDescriptor(target, key)
    },
  }

  /**
   * The inputs with each float constant behind a watching proxy (one proxy per distinct constant), or undefined
   * when no input is one. Starts a new watch.
   */
  watch(inputs: readonly (InferredType | undefined)[]): readonly (InferredType | undefined)[] | undefined {
    this.read = false
    this.watched.length = 0
    let out: (InferredType | undefined)[] | undefined
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i]
      if (!isFloatConstant(t)) continue
      out ??= inputs.slice()
      const same = inputs.indexOf(t)
      out[i] = same < i ? out[same] : new Proxy(t, this.handler)
      if (same === i) this.watched.push(out[i]!)
    }
    return out
  }

  /** True when an output is, or holds, a watched input (it then carries that input's elements on). */
  escaped(outputs: readonly (InferredType | undefined)[]): boolean {
    for (let k = 0; k < outputs.length; k++) if (this.holds(outputs[k])) return true
    return false
  }

  private holds(t: InferredType | null | undefined): boolean {
    if (t === undefined || t === null) return false
    if (this.watched.includes(t)) return true
    if (t.kind === 'sequence') return (t.elems?.some((e) => this.holds(e)) ?? false) || this.holds(t.elem)
    if (t.kind === 'optional') return this.holds(t.elem)
    return false
  }
}
keepHiddenClass(() => new ValueWatch())
