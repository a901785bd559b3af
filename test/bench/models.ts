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
