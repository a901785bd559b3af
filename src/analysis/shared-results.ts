/**
 * Inference results kept once however often they recur: the types and costs of a large graph's nodes repeat a
 * few values (every block of a network writes the same activations at the same cost), and they all stay alive
 * until the report is built. Results are never changed in place, so one object can stand for all equal ones.
 */
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
