/**
 * Signal ops: DFT (opset 17: axis attribute; opset 20: axis input), STFT, the window generators and
 * MelWeightMatrix.
 *
 * DFT cost is counted from its definition (a sum of L terms per output value, twiddle factors are constants), not
 * from the FFT onnxruntime may use: a complex term x·w costs 4 mul + 2 add and its accumulation 2 add = 8 FLOPs;
 * a real input times a complex twiddle costs 2 mul + 2 add = 4; a complex term reduced to its real part (IRFFT
 * output) costs 2 mul + 1 sub + 1 add = 4. The inverse transform adds the 1/L scaling: 1 per output number.
 */
import { dimAdd, dimFloorDiv, dimMul, dimProduct, dimSub, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable, TensorType } from '../types.js'
import { dimsOf, outputElements } from './_helpers.js'
import { dtypeAttr, hasInput, numberValue, scalarValue } from './_tensor-utils.js'

/** A scalar length input: its value (a number or a symbol), a fresh symbol when unknown. */
function lengthInput(ctx: OpContext, t: TensorType, what: string): Dim {
  const v = scalarValue(t)
  if (v === undefined) return ctx.freshDim(what)
  return typeof v === 'number' ? Math.trunc(v) : v
}

interface DftShape {
  readonly axis: number
  readonly length: Dim
  readonly out: Dim[]
}

function dftShape(ctx: OpContext): DftShape {
  const x = ctx.tensor(0)
  const dims = dimsOf(ctx, x)
  const r = dims.length
  if (r < 2) ctx.fail(`the input must have rank ≥ 2 (signal dims and a last dim of 1 or 2), not ${r}`)
  const last = dims[r - 1]!
  if (isStaticDim(last) && last !== 1 && last !== 2) ctx.fail(`the last dim must be 1 (real) or 2 (complex), not ${last}`, last)
  const inverse = ctx.attrInt('inverse', 0) === 1
  const onesided = ctx.attrInt('onesided', 0) === 1
  let axis: number
  if (ctx.opset < 20) axis = ctx.attrInt('axis', 1)
  else if (hasInput(ctx, 2)) axis = numberValue(ctx.tensor(2)) ?? ctx.fail('the axis input must be a known scalar')
  else axis = -2
  if (axis < 0) axis += r
  if (axis < 0 || axis > r - 2) ctx.fail(`axis ${axis} is out of range (the last dim holds real/imaginary parts)`, axis)
  const d = dims[axis]!
  const irfft = onesided && inverse
  const length: Dim = hasInput(ctx, 1) ? lengthInput(ctx, ctx.tensor(1), 'dft_length') : irfft ? dimMul(dimSub(d, 1), 2) : d
  const out = [...dims]
  out[axis] = onesided && !inverse ? dimAdd(dimFloorDiv(length, 2), 1) : length
  out[r - 1] = irfft ? 1 : 2
  return { axis, length, out }
}

/** FLOPs of L-term sums producing `points` output values. */
function dftFlops(points: Dim, length: Dim, complexIn: boolean, complexOut: boolean): Dim {
  return dimProduct([points, length, complexIn && complexOut ? 8 : 4])
}

const DFT: OpRule = {
  formula:
    'FLOPs = points·L·8 (complex in and out; 4 mul + 2 add per term, 2 add to accumulate), points·L·4 for real input ' +
    'or real (IRFFT) output; + out for the 1/L scaling of the inverse. points = out/last dim, L = dft_length',
  infer(ctx) {
    const x = ctx.tensor(0)
    return [{ kind: 'tensor', dtype: x.dtype, dims: dftShape(ctx).out }]
  },
  cost(ctx, outputs) {
    const x = ctx.tensor(0)
    const { length, out } = dftShape(ctx)
    const complexIn = x.dims?.[x.dims.length - 1] !== 1
    const complexOut = out[out.length - 1] === 2
    const points = dimProduct(out.slice(0, -1))
    const scale = ctx.attrInt('inverse', 0) === 1 ? outputElements(outputs) : 0
    return { macs: 0, flops: dimAdd(dftFlops(points, length, complexIn, complexOut), scale) }
  },
}

interface StftShape {
  readonly batch: Dim
  readonly frames: Dim
  readonly length: Dim
  readonly bins: Dim
  readonly complexIn: boolean
}

function stftShape(ctx: OpContext): StftShape {
  const signal = ctx.tensor(0)
  const dims = dimsOf(ctx, signal)
  if (dims.length !== 3) ctx.fail(`the signal must be [batch, length, 1 or 2], not of rank ${dims.length}`)
  const [batch, samples, last] = dims as [Dim, Dim, Dim]
  const step = lengthInput(ctx, ctx.tensor(1), 'frame_step')
  const window = ctx.optionalTensor(2)
  let length: Dim
  if (hasInput(ctx, 3)) length = lengthInput(ctx, ctx.tensor(3), 'frame_length')
  else if (window?.dims?.length === 1) length = window.dims[0]!
  else return ctx.fail('STFT needs a window or a frame_length')
  if (window?.dims !== undefined && hasInput(ctx, 3)) {
    const w = window.dims[0]
    if (isStaticDim(w) && isStaticDim(length) && w !== length) ctx.fail(`the window has ${w} samples, frame_length is ${length}`)
  }
  if (isStaticDim(step) && step <= 0) ctx.fail(`frame_step ${step} must be positive`, step)
  const span = dimSub(samples, length)
  if (isStaticDim(span) && span < 0) ctx.fail(`the signal (${String(samples)}) is shorter than a frame (${String(length)})`)
  const frames = isStaticDim(step) ? dimAdd(dimFloorDiv(span, step), 1) : ctx.freshDim('frames')
  const onesided = ctx.attrInt('onesided', 1) === 1
  const bins = onesided ? dimAdd(dimFloorDiv(length, 2), 1) : length
  return { batch, frames, length, bins, complexIn: last !== 1 }
}

const STFT: OpRule = {
  formula:
    'FLOPs = batch·frames·(bins·L·c + w): the DFT of each frame (c = 8 per term for complex signals, 4 for real) ' +
    'plus the window multiply (w = L real, 2·L complex; 0 without a window); L = frame_length',
  infer(ctx) {
    const s = stftShape(ctx)
    return [{ kind: 'tensor', dtype: ctx.tensor(0).dtype, dims: [s.batch, s.frames, s.bins, 2] }]
  },
  cost(ctx) {
    const s = stftShape(ctx)
    const dft = dftFlops(s.bins, s.length, s.complexIn, true)
    const windowing = hasInput(ctx, 2) ? dimMul(s.length, s.complexIn ? 2 : 1) : 0
    return { macs: 0, flops: dimProduct([s.batch, s.frames, dimAdd(dft, windowing)]) }
  },
}

function windowRule(flopsPerElement: number, formula: string): OpRule {
  return {
    formula,
    infer(ctx) {
      const size = lengthInput(ctx, ctx.tensor(0), 'size')
      if (isStaticDim(size) && size < 0) ctx.fail(`size ${size} is negative`, size)
      return [{ kind: 'tensor', dtype: dtypeAttr(ctx, 'output_datatype', 'float32'), dims: [size] }]
    },
    cost: (_ctx, outputs) => ({ macs: 0, flops: dimMul(outputElements(outputs), flopsPerElement) }),
  }
}

const MelWeightMatrix: OpRule = {
  formula: 'FLOPs = 2·out (each weight is one subtraction and one division along its triangle\'s slope)',
  infer(ctx) {
    const mel = lengthInput(ctx, ctx.tensor(0), 'num_mel_bins')
    const dft = lengthInput(ctx, ctx.tensor(1), 'dft_length')
    return [{ kind: 'tensor', dtype: dtypeAttr(ctx, 'output_datatype', 'float32'), dims: [dimAdd(dimFloorDiv(dft, 2), 1), mel] }]
  },
  cost: (_ctx, outputs) => ({ macs: 0, flops: dimMul(outputElements(outputs), 2) }),
}

/** DFT, STFT, HannWindow, HammingWindow, BlackmanWindow, MelWeightMatrix. */
export const SIGNAL_RULES: OpRuleTable = {
  DFT,
  STFT,
  HannWindow: windowRule(4, 'FLOPs = 4·out (angle n·2π/N, cos, multiply by 0.5, subtract from 0.5)'),
  HammingWindow: windowRule(4, 'FLOPs = 4·out (angle n·2π/N, cos, multiply by β, subtract from α)'),
  BlackmanWindow: windowRule(8, 'FLOPs = 8·out (two angles, two cos, two multiplies, one sub, one add)'),
  MelWeightMatrix,
}
