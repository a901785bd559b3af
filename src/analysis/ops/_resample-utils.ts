/**
 * The interpolation cost shared by Resize, Upsample and GridSample.
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'

type Interpolation = 'nearest' | 'linear' | 'cubic'

/** nearest / (bi|tri)linear / (bi)cubic, whatever the opset called them. */
export function interpolationKind(mode: string): Interpolation {
  const m = mode.toLowerCase()
  if (m.includes('cubic')) return 'cubic'
  if (m.includes('linear')) return 'linear'
  return 'nearest'
}

/**
 * FLOPs per output element of separable interpolation over `d` axes: 1-D interpolations of t taps (t multiplies,
 * t − 1 adds) are nested, (t^d − 1)/(t − 1) of them; nearest copies.
 */
export function interpolationPerElement(kind: Interpolation, d: number): number {
  if (kind === 'nearest' || d === 0) return 0
  const taps = kind === 'linear' ? 2 : 4
  return (2 * taps - 1) * ((taps ** d - 1) / (taps - 1))
}

/** FLOPs of turning one output coordinate into a source position and tap weights. */
export function coordinateFlops(kind: Interpolation, transform: string): number {
  const transformCost: Record<string, number> = {
    asymmetric: 1,
    align_corners: 2,
    half_pixel: 3,
    tf_half_pixel_for_nn: 2,
    pytorch_half_pixel: 4,
    half_pixel_symmetric: 4,
    tf_crop_and_resize: 5,
  }
  const weights = kind === 'nearest' ? 1 : kind === 'linear' ? 2 : 26
  return (transformCost[transform] ?? 3) + weights
}

/** Total FLOPs of resampling to `outDims`, where `resized` lists the axes whose size changes. */
export function interpolationFlops(outDims: readonly Dim[], resized: readonly number[], mode: string, transform: string): Dim {
  const kind = interpolationKind(mode)
  let flops: Dim = dimMul(dimProduct(outDims), interpolationPerElement(kind, resized.length))
  const c = coordinateFlops(kind, transform)
  for (const a of resized) flops = dimAdd(flops, dimMul(outDims[a]!, c))
  return flops
}
