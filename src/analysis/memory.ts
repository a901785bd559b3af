/**
 * Memory figures: bytes each node reads and writes (memory access cost), and peak activation memory from tensor
 * lifetimes over the execution order — not a sum of all activations.
 */
import { byteSize, dataTypeBits } from '../onnx/dtypes.js'
import { dimAdd, dimCeilDiv, dimMax, dimMul, dimProduct, dimSub, type Dim } from './dims.js'
import type { NodeRecord } from './infer.js'
import type { InferredType } from './types.js'

/** Bytes of a value: tensors by dtype and dims (sub-byte types packed); sequences by their known elements. */
export function bytesOf(type: InferredType | undefined): Dim {
  if (type === undefined) return 0
  if (type.kind === 'tensor') {
    if (type.dims === undefined) return 0
    const count = dimProduct(type.dims)
    if (typeof count === 'number') return byteSize(type.dtype, count)
    const bits = dataTypeBits(type.dtype)
    return bits % 8 === 0 ? dimMul(count, bits / 8) : dimCeilDiv(dimMul(count, bits), 8)
  }
  if (type.kind === 'sequence') return (type.elems ?? []).reduce<Dim>((a, e) => dimAdd(a, bytesOf(e)), 0)
  if (type.kind === 'optional') return type.elem ? bytesOf(type.elem) : 0
  return 0
}

/** Bytes read and written by one node (each distinct input once). */
export function nodeTraffic(record: NodeRecord): { bytesRead: Dim; bytesWritten: Dim } {
  const inputs = record.node.inputs
  // nodes have a few inputs: a Set pays off only for long input lists (Concat, Sum)
  const seen = inputs.length > 8 ? new Set<string>() : undefined
  let bytesRead: Dim = 0
  for (let i = 0; i < inputs.length; i++) {
    const name = inputs[i]!
    if (name === '') continue
    if (seen === undefined ? inputs.indexOf(name) < i : seen.has(name)) continue
    seen?.add(name)
    bytesRead = dimAdd(bytesRead, bytesOf(record.inputs[i]))
  }
  let bytesWritten: Dim = 0
  for (let j = 0; j < record.outputs.length; j++) bytesWritten = dimAdd(bytesWritten, bytesOf(record.outputs[j]))
  return { bytesRead, bytesWritten }
}

/**
 * Peak bytes of activations alive at once when the nodes run in `records` order: graph inputs live from the
 * start, a node output from its node to its last reader (graph outputs to the end). Initializers and Constant
 * payloads are weights, counted separately.
 */
export function peakActivationBytes(
  records: readonly NodeRecord[],
  graphInputs: ReadonlyMap<string, InferredType | undefined>,
  graphOutputs: ReadonlySet<string>,
  isWeight: (name: string) => boolean,
): { peak: Dim; atNode: number } {
  const lastUse = new Map<string, number>()
  for (let i = 0; i < records.length; i++) {
    const inputs = records[i]!.node.inputs
    for (let k = 0; k < inputs.length; k++) if (inputs[k] !== '') lastUse.set(inputs[k]!, i)
  }
  const end = records.length
  const deathAt = (name: string, birth: number): number => (graphOutputs.has(name) ? end : Math.max(birth, lastUse.get(name) ?? birth))
  const dying: Dim[] = Array.from({ length: end + 1 }, () => 0)
  let live: Dim = 0
  for (const [name, type] of graphInputs) {
    if (isWeight(name)) continue
    const size = bytesOf(type)
    live = dimAdd(live, size)
    const d = deathAt(name, 0)
    dying[d] = dimAdd(dying[d]!, size)
  }
  let peak: Dim = live
  let atNode = -1
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!
    if (r.node.opType !== 'Constant') {
      const outputs = r.node.outputs
      for (let j = 0; j < outputs.length; j++) {
        const name = outputs[j]!
        if (name === '') continue
        const size = bytesOf(r.outputs[j])
        live = dimAdd(live, size)
        const d = deathAt(name, i)
        dying[d] = dimAdd(dying[d]!, size)
      }
    }
    const larger = dimMax(live, peak)
    if (larger !== peak) {
      peak = larger
      atNode = i
    }
    live = dimSub(live, dying[i]!)
  }
  return { peak, atNode }
}
