/**
 * The shape rule shared by Conv, ConvInteger, QLinearConv and DeformConv.
 */
import { dimMul, isStaticDim, type Dim } from '../dims.js'
import type { OpContext } from '../types.js'
import { expectSameDim, inputDims } from './_compute-utils.js'
import { convOutputDims, readWindowAttrs } from './_window-utils.js'

/** What a convolution's cost needs besides its output. */
export interface ConvShape {
  /** [N, M, o1, …] */
  readonly out: Dim[]
  /** Cin/group: the weight's second dim. */
  readonly cinPerGroup: Dim
  readonly kernel: readonly Dim[]
  readonly group: number
  readonly input: readonly Dim[]
}

/** Infers the output dims of a convolution with input X at `xi` and weights W [M, C/group, k…] at `wi`. */
export function convShape(ctx: OpContext, xi: number, wi: number): ConvShape {
  const x = inputDims(ctx, xi, 'X')
  const w = inputDims(ctx, wi, 'W')
  if (x.length < 3) ctx.fail(`X should have rank ≥ 3 (N, C, spatial…), not ${x.length}`, x)
  if (w.length !== x.length) ctx.fail(`W has rank ${w.length} but X has rank ${x.length}`, [x, w])
  const group = ctx.attrInt('group', 1)
  if (group <= 0) ctx.fail(`group should be positive, not ${group}`, group)
  const kernel = kernelShape(ctx, w.slice(2))
  const m = w[0]!
  const cinPerGroup = w[1]!
  expectSameDim(ctx, x[1], dimMul(cinPerGroup, group), 'input channels ≠ W channels × group')
  if (isStaticDim(m) && m % group !== 0) ctx.fail(`output channels ${m} are not divisible by group ${group}`, m)
  const attrs = readWindowAttrs(ctx, kernel)
  return { out: [x[0]!, m, ...convOutputDims(ctx, x.slice(2), attrs)], cinPerGroup, kernel, group, input: x }
}

/** The kernel_shape attribute when set (checked against W), else W's spatial dims. */
export function kernelShape(ctx: OpContext, fromWeights: readonly Dim[]): readonly Dim[] {
  if (!ctx.hasAttr('kernel_shape')) return fromWeights
  const ks = ctx.attrInts('kernel_shape')
  if (ks.length !== fromWeights.length) ctx.fail(`kernel_shape has ${ks.length} values for ${fromWeights.length} spatial axes`, ks)
  ks.forEach((k, i) => expectSameDim(ctx, k, fromWeights[i], 'kernel_shape ≠ W spatial dims'))
  return ks
}
