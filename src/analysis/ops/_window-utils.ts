/**
 * Output sizes of sliding-window ops (Conv, ConvTranspose, the pools), as onnxruntime computes them.
 */
import { dimAdd, dimCeilDiv, dimFloorDiv, dimMul, dimSub, isStaticDim, type Dim } from '../dims.js'
import type { OpContext } from '../types.js'

/** The window attributes of a node, defaults filled in for `rank` spatial axes. */
export interface WindowAttrs {
  readonly kernel: readonly Dim[]
  readonly strides: readonly number[]
  readonly dilations: readonly number[]
  /** [x1_begin, x2_begin, …, x1_end, x2_end, …] */
  readonly pads: readonly number[]
  readonly autoPad: string
}

/** Reads strides/dilations/pads/auto_pad for a window of the given kernel, checking their lengths. */
export function readWindowAttrs(ctx: OpContext, kernel: readonly Dim[]): WindowAttrs {
  const rank = kernel.length
  const strides = ctx.attrInts('strides', [])
  const dilations = ctx.attrInts('dilations', [])
  const pads = ctx.attrInts('pads', [])
  const autoPad = ctx.attrString('auto_pad', 'NOTSET')
  const filled = (v: readonly number[], fill: number, n: number, name: string): readonly number[] => {
    if (v.length === 0) return Array.from({ length: n }, () => fill)
    if (v.length !== n) ctx.fail(`${name} should have ${n} values, not ${v.length}`, v)
    return v
  }
  const s = filled(strides, 1, rank, 'strides')
  const d = filled(dilations, 1, rank, 'dilations')
  if (s.some((x) => x <= 0)) ctx.fail('strides should be positive', s)
  if (d.some((x) => x <= 0)) ctx.fail('dilations should be positive', d)
  if (!['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER', ''].includes(autoPad)) ctx.fail(`unknown auto_pad ${autoPad}`, autoPad)
  return {
    kernel,
    strides: s,
    dilations: d,
    pads: filled(pads, 0, 2 * rank, 'pads'),
    autoPad: autoPad === '' ? 'NOTSET' : autoPad,
  }
}

/** d·(k − 1) + 1: the extent of a dilated kernel. */
function dilatedKernel(k: Dim, d: number): Dim {
  return dimAdd(dimMul(d, dimSub(k, 1)), 1)
}

function positive(ctx: OpContext, out: Dim, axis: number, allowZero = false): Dim {
  if (isStaticDim(out) && (out < 0 || (out === 0 && !allowZero))) {
    ctx.fail(`the window does not fit: output size ${out} on spatial axis ${axis}`, out)
  }
  return out
}

/** Conv output spatial dims: ⌊(in + pads − dilated kernel)/stride⌋ + 1, or ⌈in/stride⌉ for SAME_*. */
export function convOutputDims(ctx: OpContext, spatial: readonly Dim[], w: WindowAttrs): Dim[] {
  return spatial.map((inDim, i) => {
    const s = w.strides[i]!
    const k = w.kernel[i]!
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return positive(ctx, dimCeilDiv(inDim, s), i)
    const padSum = w.autoPad === 'VALID' ? 0 : w.pads[i]! + w.pads[i + spatial.length]!
    const span = dimSub(dimAdd(inDim, padSum), dilatedKernel(k, w.dilations[i]!))
    return positive(ctx, dimAdd(dimFloorDiv(span, s), 1), i)
  })
}

/**
 * Pool output spatial dims, onnxruntime's PoolAttributes: SAME_* pads to ⌈in/stride⌉ windows; ceil_mode rounds up
 * but drops a last window that would start past the input and its head padding (onnx/onnx#5741, opset 19's rule).
 */
export function poolOutputDims(ctx: OpContext, spatial: readonly Dim[], w: WindowAttrs, ceilMode: boolean): Dim[] {
  return spatial.map((inDim, i) => {
    const s = w.strides[i]!
    const k = w.kernel[i]!
    const d = w.dilations[i]!
    let head: Dim = w.pads[i]!
    let tail: Dim = w.pads[i + spatial.length]!
    if (w.autoPad === 'VALID') {
      head = 0
      tail = 0
    } else if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
      // onnxruntime pads for ⌈in/stride⌉ windows of the undilated kernel
      const needed = dimSub(dimAdd(dimMul(dimSub(dimCeilDiv(inDim, s), 1), s), k), inDim)
      if (isStaticDim(needed)) {
        head = w.autoPad === 'SAME_LOWER' ? Math.trunc((needed + 1) / 2) : Math.trunc(needed / 2)
        tail = needed - head
      } else {
        head = w.autoPad === 'SAME_LOWER' ? dimFloorDiv(dimAdd(needed, 1), 2) : dimFloorDiv(needed, 2)
        tail = dimSub(needed, head)
      }
    }
    const numerator = dimSub(dimAdd(dimAdd(inDim, head), tail), dilatedKernel(k, d))
    if (isStaticDim(numerator) && isStaticDim(head)) {
      // onnxruntime divides in float and truncates
      if (!ceilMode) return positive(ctx, Math.trunc(numerator / s + 1), i, true)
      let out = Math.ceil(numerator / s) + 1
      if ((out - 1) * s >= (inDim as number) + head) out--
      return positive(ctx, out, i, true)
    }
    return dimAdd(ceilMode ? dimCeilDiv(numerator, s) : dimFloorDiv(numerator, s), 1)
  })
}

/**
 * ConvTranspose output spatial dims, onnxruntime's ConvTransposeAttributes: an explicit output_shape wins; SAME_*
 * pads towards in·stride; else stride·(in − 1) + output_padding + dilated kernel − pads.
 */
export function convTransposeOutputDims(
  ctx: OpContext,
  spatial: readonly Dim[],
  w: WindowAttrs,
  outputPadding: readonly number[],
  outputShape: readonly number[],
): Dim[] {
  const rank = spatial.length
  if (outputShape.length !== 0 && outputShape.length !== rank && outputShape.length !== rank + 2) {
    ctx.fail(`output_shape should have ${rank} or ${rank + 2} values, not ${outputShape.length}`, outputShape)
  }
  return spatial.map((inDim, i) => {
    if (outputShape.length !== 0) return positive(ctx, outputShape[outputShape.length === rank ? i : i + 2]!, i)
    const s = w.strides[i]!
    const full = dimAdd(dimAdd(dimMul(dimSub(inDim, 1), s), outputPadding[i] ?? 0), dilatedKernel(w.kernel[i]!, w.dilations[i]!))
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
      // total padding is max(0, full − in·stride)
      const target = dimMul(inDim, s)
      const excess = dimSub(full, target)
      if (isStaticDim(excess)) return positive(ctx, excess > 0 ? target : full, i)
      return positive(ctx, target, i)
    }
    const padSum = w.autoPad === 'VALID' ? 0 : w.pads[i]! + w.pads[i + rank]!
    return positive(ctx, dimSub(full, padSum), i)
  })
}
