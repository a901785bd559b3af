/**
 * Models for the runner's tests and benchmark, built with the fixture builder into a temp dir (never committed).
 */
import { join } from 'node:path'
import { GraphBuilder, ModelBuilder, type DType } from '../../fixtures/builder/index.js'

/** A chain of MatMul + Relu layers. */
export interface ChainSpec {
  /** Rows of the input (a number, or a symbol for a symbolic batch). */
  readonly rows: number | string
  readonly width: number
  readonly layers: number
  /** Extra MatMul + Relu layers appended, as output widths (the "slower variant"). */
  readonly extra?: readonly number[]
}

/**
 * Writes `x [rows, width] → (MatMul W_i [width, width] → Relu) × layers → (MatMul [width, e] → Relu) per extra → y`.
 * Weights are seeded uniform in ±√(6/width) (He-style, so activations neither vanish nor blow up).
 * @returns the model's path
 */
export function writeMatMulChain(dir: string, name: string, spec: ChainSpec): string {
  const g = new ModelBuilder()
  const a = Math.sqrt(6 / spec.width)
  g.input('x', 'float32', [spec.rows, spec.width])
  let h = 'x'
  let width = spec.width
  const widths = [...Array.from({ length: spec.layers }, () => spec.width), ...(spec.extra ?? [])]
  widths.forEach((out, i) => {
    const w = g.initializer(`w${i}`, 'float32', [width, out], { fill: 'uniform', lo: -a, hi: a, seed: `w${i}` })
    h = g.op('Relu', [g.op('MatMul', [h, w])])
    width = out
  })
  g.node('Identity', [h], ['y'])
  g.output('y', 'float32', [spec.rows, width])
  const path = join(dir, `${name}.onnx`)
  g.writeTo(path)
  return path
}

/** Writes a model that never finishes: a Loop with trip count 2^62 around an Add. */
export function writeHangingModel(dir: string): string {
  const g = new ModelBuilder()
  g.input('x', 'float32', [1, 4])
  const trips = g.initializer('trip_count', 'int64', [], [2n ** 62n])
  const one = g.initializer('one', 'float32', [1, 4], [1, 1, 1, 1])
  const body = new GraphBuilder('body', 'body/')
  body.input('iter', 'int64', [])
  body.input('cond_in', 'bool', [])
  body.input('h_in', 'float32', [1, 4])
  body.node('Identity', ['cond_in'], ['cond_out'])
  body.node('Add', ['h_in', one], ['h_out'])
  body.output('cond_out', 'bool', [])
  body.output('h_out', 'float32', [1, 4])
  g.node('Loop', [trips, '', 'x'], ['y'], { body }, { name: 'forever' })
  g.output('y', 'float32', [1, 4])
  const path = join(dir, 'hang.onnx')
  g.writeTo(path)
  return path
}

/** The dtypes the fixture builder can declare, each passed through an Identity. */
export const IDENTITY_DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'int8', 'uint8', 'int32', 'int64', 'bool']

/** Writes a model with one input per dtype of {@link IDENTITY_DTYPES} (`in_<dtype>` [N, 3] → Identity → `out_<dtype>`). */
export function writeIdentityModel(dir: string): string {
  const g = new ModelBuilder()
  for (const dtype of IDENTITY_DTYPES) {
    g.input(`in_${dtype}`, dtype, ['N', 3])
    g.node('Identity', [`in_${dtype}`], [`out_${dtype}`])
    g.output(`out_${dtype}`, dtype, ['N', 3])
  }
  const path = join(dir, 'identity.onnx')
  g.writeTo(path)
  return path
}

/** A chain of 3×3 convolutions (C → C, padding 1) + Relu on a [1, C, size, size] input. */
export interface ConvChainSpec {
  readonly channels: number
  readonly size: number
  readonly layers: number
  /** Seed of the weights: another seed gives other weights with the same compute. @default 'conv' */
  readonly seed?: string
}

/**
 * Writes `x [1, C, S, S] → (Conv 3×3 C→C pad 1 → Relu) × layers → y`: MACs = layers · C² · 9 · S², so the
 * compute grows exactly with the layer count. Weights are seeded uniform in ±√(6/(9C)).
 * @returns the model's bytes
 */
export function convChainBytes(spec: ConvChainSpec): Uint8Array {
  const g = new ModelBuilder()
  const c = spec.channels
  const a = Math.sqrt(6 / (9 * c))
  g.input('x', 'float32', [1, c, spec.size, spec.size])
  let h = 'x'
  for (let i = 0; i < spec.layers; i++) {
    const w = g.initializer(`w${i}`, 'float32', [c, c, 3, 3], { fill: 'uniform', lo: -a, hi: a, seed: `${spec.seed ?? 'conv'}${i}` })
    h = g.op('Relu', [g.op('Conv', [h, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })])
  }
  g.node('Identity', [h], ['y'])
  g.output('y', 'float32', [1, c, spec.size, spec.size])
  return g.toBytes()
}
