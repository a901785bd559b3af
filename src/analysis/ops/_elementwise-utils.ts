/**
 * Value arithmetic shared by the element-wise and reduction rules: scalars that may be symbolic dims, with the
 * integer semantics onnxruntime uses, and NumPy broadcasting of known values.
 */
import { isFloatType, type DataTypeName } from '../../onnx/dtypes.js'
import { dimFloorDiv, dimMax, dimMin, dimMul, dimSub, isStaticDim, type Dim } from '../dims.js'
import { MAX_VALUE_ELEMENTS, type Scalar, type TensorType } from '../types.js'

/** An element-wise function on known elements; undefined = cannot be evaluated (the value is dropped). */
export type ScalarFn = (...xs: Scalar[]) => Scalar | undefined

/**
 * Wraps an element function so that symbolic elements only meet integers: dims are integer polynomials, and
 * `0.5*N` would be read as a dim downstream (Floor, Cast). Other mixes drop the value.
 */
export function integersWithSymbols(f: ScalarFn): ScalarFn {
  return (...xs) => {
    if (xs.some((x) => typeof x === 'string') && xs.some((x) => typeof x === 'number' && !Number.isInteger(x))) return undefined
    return f(...xs)
  }
}

/** True for the integer and bool element types (Div truncates, results wrap). */
export function isIntegral(dtype: DataTypeName): boolean {
  return !isFloatType(dtype) && dtype !== 'complex64' && dtype !== 'complex128'
}

const INT_BITS: Partial<Record<DataTypeName, [number, boolean]>> = {
  int8: [8, true], int16: [16, true], int32: [32, true], uint8: [8, false], uint16: [16, false], uint32: [32, false],
  int4: [4, true], uint4: [4, false], int2: [2, true], uint2: [2, false], uint64: [64, false], int64: [64, true],
}

/** Brings a computed element to what a tensor of `dtype` stores: float32 rounding, integer wrap, bool 0/1. */
export function normalizeScalar(dtype: DataTypeName, x: Scalar | undefined): Scalar | undefined {
  if (x === undefined) return undefined
  if (typeof x === 'string') return dtype === 'bool' ? undefined : x
  if (dtype === 'bool') return Number.isNaN(x) ? undefined : x !== 0 ? 1 : 0
  if (dtype === 'float32') return Math.fround(x)
  if (!isIntegral(dtype)) return x
  if (!Number.isFinite(x)) return undefined
  const t = Math.trunc(x)
  const bits = INT_BITS[dtype]
  // int64 values beyond 2^53 (INT64_MAX in Slice ends) are kept as the nearest double rather than wrapped
  if (bits === undefined || bits[0] === 64 || !Number.isSafeInteger(t)) return t
  const b = BigInt(t)
  return Number(bits[1] ? BigInt.asIntN(bits[0], b) : BigInt.asUintN(bits[0], b))
}

/**
 * The signed terms of a canonical polynomial (see dims.ts): split at the top-level ` + ` / ` - `, each term
 * `c*atoms`, `atoms` or a constant.
 */
function polyTerms(d: string): { coef: number; constant: boolean }[] {
  const terms: { coef: number; constant: boolean }[] = []
  let depth = 0
  let start = 0
  let sign = 1
  const push = (text: string): void => {
    const s = text.trim()
    const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(\*)?/.exec(s)
    if (m === null) terms.push({ coef: sign, constant: false })
    else terms.push({ coef: sign * Number(m[1]), constant: m[2] === undefined && m[0].length === s.length })
  }
  let i = 0
  if (d.startsWith('-')) {
    sign = -1
    start = i = 1
  }
  for (; i < d.length; i++) {
    const c = d[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (depth === 0 && (d.startsWith(' + ', i) || d.startsWith(' - ', i))) {
      push(d.slice(start, i))
      sign = d[i + 1] === '-' ? -1 : 1
      start = i + 3
      i += 2
    }
  }
  push(d.slice(start))
  return terms
}

/**
 * The possible signs of a value, as an interval of −1/0/1. Symbols are sizes, so ≥ 0: a polynomial with
 * non-negative coefficients is ≥ 0 (> 0 when its constant is positive).
 */
export function signRange(x: Scalar): [number, number] {
  if (typeof x === 'number') return Number.isNaN(x) ? [-1, 1] : [Math.sign(x), Math.sign(x)]
  const terms = polyTerms(x)
  const constant = terms.find((t) => t.constant)?.coef ?? 0
  const vars = terms.filter((t) => !t.constant)
  if (vars.every((t) => t.coef >= 0) && constant >= 0) return [constant > 0 ? 1 : 0, 1]
  if (vars.every((t) => t.coef <= 0) && constant <= 0) return [-1, constant < 0 ? -1 : 0]
  return [-1, 1]
}

/** Evaluates a predicate on the sign of a − b; undefined when the known range of signs does not decide it. */
export function compareScalars(a: Scalar, b: Scalar, pred: (sign: number) => boolean): Scalar | undefined {
  if (typeof a === 'number' && typeof b === 'number') return pred(a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN) ? 1 : 0
  const [lo, hi] = signRange(dimSub(a, b))
  const first = pred(lo)
  for (let s = lo + 1; s <= hi; s++) if (pred(s) !== first) return undefined
  return first ? 1 : 0
}

/** max(a, b), resolved when the sign of a − b is known. */
export function maxScalar(a: Scalar, b: Scalar): Scalar {
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b)
  const [lo, hi] = signRange(dimSub(a, b))
  return lo >= 0 ? a : hi <= 0 ? b : dimMax(a, b)
}

/** min(a, b), resolved when the sign of a − b is known. */
export function minScalar(a: Scalar, b: Scalar): Scalar {
  if (typeof a === 'number' && typeof b === 'number') return Math.min(a, b)
  const [lo, hi] = signRange(dimSub(a, b))
  return lo >= 0 ? b : hi <= 0 ? a : dimMin(a, b)
}

/** |a|, for a symbol only when its sign is known. */
export function absScalar(a: Scalar): Scalar | undefined {
  if (typeof a === 'number') return Math.abs(a)
  const [lo, hi] = signRange(a)
  return lo >= 0 ? a : hi <= 0 ? dimSub(0, a) : undefined
}

/** An exact quotient of a polynomial by a nonzero number, or undefined. */
function exactQuotient(a: Dim, b: number): Dim | undefined {
  const q = dimFloorDiv(a, Math.abs(b))
  if (dimMul(q, Math.abs(b)) !== a) return undefined
  return b < 0 ? dimSub(0, q) : q
}

/** a / b: integer division truncates toward zero (C semantics, as onnxruntime); undefined on an integer /0. */
export function divScalar(a: Scalar, b: Scalar, integral: boolean): Scalar | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!integral) return a / b
    return b === 0 ? undefined : Math.trunc(a / b)
  }
  if (a === b) return 1
  if (a === 0) return 0
  if (typeof b !== 'number' || b === 0) return undefined
  const exact = exactQuotient(a, b)
  if (exact !== undefined || !integral) return exact
  // truncation equals floor for a value known to be ≥ 0
  if (signRange(a)[0] < 0) return undefined
  const q = dimFloorDiv(a, Math.abs(b))
  return b < 0 ? dimSub(0, q) : q
}

/** Mod: fmod=1 is C fmod (sign of the dividend), fmod=0 is Python's % (sign of the divisor). */
export function modScalar(a: Scalar, b: Scalar, fmod: boolean, integral: boolean): Scalar | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) return integral ? undefined : NaN
    const r = a % b
    return fmod || r === 0 || r < 0 === b < 0 ? r : r + b
  }
  if (typeof b === 'number' && b !== 0 && exactQuotient(a, b) !== undefined) return 0
  return undefined
}

/** a ** b; a symbolic base only with a small non-negative integer exponent. */
export function powScalar(a: Scalar, b: Scalar): Scalar | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a ** b
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 16) return undefined
  let p: Dim = 1
  for (let i = 0; i < b; i++) p = dimMul(p, a)
  return p
}

/** A bitwise operation on integers, wrapped to the width of `dtype`. */
export function bitwiseScalar(a: Scalar, b: Scalar, dtype: DataTypeName, op: (x: bigint, y: bigint) => bigint): Scalar | undefined {
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return undefined
  const bits = INT_BITS[dtype] ?? [64, true]
  const r = op(BigInt(a), BigInt(b))
  return Number(bits[1] ? BigInt.asIntN(bits[0], r) : BigInt.asUintN(bits[0], r))
}

/** The bit width of an integer type (64 when unknown). */
export function intBits(dtype: DataTypeName): number {
  return INT_BITS[dtype]?.[0] ?? 64
}

/** Round half to even (ONNX Round). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** A value usable for computation: known, and consistent with static dims. */
export function staticInput(t: TensorType): { dims: number[]; value: readonly Scalar[] } | undefined {
  const value = t.value
  if (value === undefined || t.dims === undefined || !t.dims.every(isStaticDim)) return undefined
  const dims = t.dims as number[]
  if (dims.reduce((p, d) => p * d, 1) !== value.length) return undefined
  return { dims, value }
}

/**
 * Applies `fn` element-wise over NumPy-broadcast inputs; undefined when an input's value is unknown, the output
 * is large, or `fn` cannot evaluate an element.
 */
export function broadcastValue(outDims: readonly Dim[] | undefined, inputs: readonly TensorType[], fn: ScalarFn): Scalar[] | undefined {
  if (outDims === undefined || !outDims.every(isStaticDim)) return undefined
  const out = outDims as readonly number[]
  const total = out.reduce((p, d) => p * d, 1)
  if (total > MAX_VALUE_ELEMENTS) return undefined
  const known = inputs.map(staticInput)
  if (known.some((k) => k === undefined)) return undefined
  const rank = out.length
  const strides = (known as { dims: number[] }[]).map(({ dims }) => {
    if (dims.length > rank) return undefined
    const s = new Array<number>(rank).fill(0)
    let stride = 1
    for (let i = dims.length - 1; i >= 0; i--) {
      const d = dims[i]!
      const axis = rank - dims.length + i
      if (d !== 1 && d !== out[axis]) return undefined
      s[axis] = d === 1 ? 0 : stride
      stride *= d
    }
    return s
  })
  if (strides.some((s) => s === undefined)) return undefined
  const result: Scalar[] = []
  const idx = new Array<number>(rank).fill(0)
  const offsets = new Array<number>(inputs.length).fill(0)
  for (let n = 0; n < total; n++) {
    const args = offsets.map((o, k) => known[k]!.value[o]!)
    const r = fn(...args)
    if (r === undefined) return undefined
    result.push(r)
    for (let axis = rank - 1; axis >= 0; axis--) {
      idx[axis]!++
      for (let k = 0; k < offsets.length; k++) offsets[k]! += strides[k]![axis]!
      if (idx[axis]! < out[axis]!) break
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= strides[k]![axis]! * out[axis]!
      idx[axis] = 0
    }
  }
  return result
}
