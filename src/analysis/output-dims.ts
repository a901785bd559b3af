/**
 * The last guard against negative dims: declared dims are checked when the model is read (onnx/declared-dims.ts),
 * but a shape can also come from a tensor's values (Expand's shape, Tile's repeats …). An op rule that passes a
 * negative entry through would make every count after it negative, so no inferred output may have one.
 */
import { ModelgateError } from '../errors.js'
import type { OnnxNode } from '../onnx/types.js'
import { nodeLabel } from './context.js'
import type { InferredType, TensorType } from './types.js'

/**
 * Throws when an inferred output of `node` has a negative static dim.
 * @throws ModelgateError E_SHAPE_INFERENCE naming the node, the output, the axis and the value
 */
export function assertOutputDims(node: OnnxNode, outputs: readonly (InferredType | undefined)[]): void {
  for (let i = 0; i < outputs.length; i++) checkType(node, i, outputs[i])
}

function checkType(node: OnnxNode, index: number, t: InferredType | null | undefined): void {
  if (t === undefined || t === null || t.kind === 'map') return
  if (t.kind === 'tensor') return check(node, index, t)
  if (t.kind === 'optional') return checkType(node, index, t.elem)
  checkType(node, index, t.elem)
  for (const e of t.elems ?? []) check(node, index, e)
}

function check(node: OnnxNode, index: number, t: TensorType): void {
  const dims = t.dims
  if (dims === undefined) return
  for (let axis = 0; axis < dims.length; axis++) {
    const d = dims[axis]
    if (typeof d === 'number' && d < 0) {
      const label = nodeLabel(node)
      throw new ModelgateError(
        'E_SHAPE_INFERENCE',
        `Node ${label} (${node.opType}): output ${JSON.stringify(node.outputs[index] ?? String(index))} would have dim ${d} on axis ${axis} (a shape or repeats input with a negative entry?).`,
        { node: label, value: d },
      )
    }
  }
}
