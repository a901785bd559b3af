/**
 * Helpers of the tensor/sequence/text/signal op families: element movement on small known values (shape
 * arithmetic), casts, exact symbolic division and type merging.
 */
import { dataTypeBits, dataTypeName, isFloatType, type DataTypeName } from '../../onnx/dtypes.js'
import { dimMul, dimProduct, dimSub, isStaticDim, type Dim } from '../dims.js'
import { MAX_VALUE_ELEMENTS, type InferredType, type OpContext, type Scalar, type TensorType } from '../types.js'

/** The known elements of a tensor: numbers/symbols, or strings. */
export interface Elements {
  readonly value?: readonly Scalar[] | undefined
  readonly strings?: readonly string[] | undefined
}

/** Ends at or beyond this are "to the end" in Slice (exporters write INT64_MAX, INT32_MAX or 2^63-ish doubles). */
export const BIG_END = 2 ** 31 - 1

/** The dims as numbers when all are static. */
export function staticDims(dims: readonly Dim[] | undefined): number[] | undefined {
  if (dims === undefined || !dims.every(isStaticDim)) return undefined
  return dims as number[]
}

/** The elements of a tensor that are known (value and/or strings). */
export function elementsOf(t: TensorType | undefined): Elements {
  if (t === undefined) return {}
  return { value: t.value, strings: t.strings }
}

/**
 * A tensor type; the known elements are kept when the dims are static, the count matches and the tensor is small.
 */
export function result(dtype: DataTypeName, dims: readonly Dim[] | undefined, el: Elements = {}): TensorType {
  const sd = staticDims(dims)
  const n = sd === undefined ? -1 : sd.reduce((a, b) => a * b, 1)
  const ok = (a: readonly unknown[] | undefined): boolean => a !== undefined && a.length === n && n <= MAX_VALUE_ELEMENTS
  // literals, not spreads: a spread gives each object a hidden class of its own
  if (ok(el.value)) return { kind: 'tensor', dtype, dims, value: el.value }
  if (ok(el.strings)) return { kind: 'tensor', dtype, dims, strings: el.strings }
  return { kind: 'tensor', dtype, dims }
}

/** Row-major strides of static dims. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1)
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!
  return s
}

/**
 * Builds the elements of an output of static dims `outDims` where each element is read from a flat index of the
 * source (`from` maps an output multi-index to a source flat index, or -1 for a fill element).
 */
export function moveElements(
  src: Elements,
  outDims: readonly Dim[] | undefined,
  from: (idx: readonly number[]) => number,
  fill: { value?: Scalar; string?: string } = {},
): Elements {
  const od = staticDims(outDims)
  if (od === undefined) return {}
  const n = od.reduce((a, b) => a * b, 1)
  if (n > MAX_VALUE_ELEMENTS) return {}
  const map = (): number[] => {
    const out: number[] = []
    const idx = new Array<number>(od.length).fill(0)
    for (let k = 0; k < n; k++) {
      out.push(from(idx))
      for (let d = od.length - 1; d >= 0; d--) {
        idx[d]! += 1
        if (idx[d]! < od[d]!) break
        idx[d] = 0
      }
    }
    return out
  }
  if (src.value === undefined && src.strings === undefined) return {}
  const indices = map()
  const pick = <T>(a: readonly T[] | undefined, f: T | undefined): T[] | undefined => {
    if (a === undefined) return undefined
    const out: T[] = []
    for (const i of indices) {
      const v = i < 0 ? f : a[i]
      if (v === undefined) return undefined
      out.push(v)
    }
    return out
  }
  return { value: pick(src.value, fill.value), strings: pick(src.strings, fill.string) }
}

/** Reads an int list that is an attribute before `opset` and an input at `index` from then on. */
export function intsAttrOrInput(ctx: OpContext, attr: string, index: number, sinceOpset: number): readonly Scalar[] | undefined {
  if (ctx.opset < sinceOpset) return ctx.hasAttr(attr) ? ctx.attrInts(attr) : undefined
  const t = ctx.optionalTensor(index)
  return t === undefined ? undefined : t.value
}

/** True when an optional input is given (present and not an empty name). */
export function hasInput(ctx: OpContext, index: number): boolean {
  return (ctx.node.inputs[index] ?? '') !== '' && ctx.inputs[index] !== undefined
}

/** The single element of a known scalar (or 1-element) value. */
export function scalarValue(t: TensorType | undefined): Scalar | undefined {
  const v = t?.value
  return v !== undefined && v.length === 1 ? v[0] : undefined
}

/** The single element of a known value when it is a number. */
export function numberValue(t: TensorType | undefined): number | undefined {
  const v = scalarValue(t)
  return typeof v === 'number' ? v : undefined
}

/** The output dtype of `to`-style attributes (Cast, EyeLike, windows): an int code (or an old string name). */
export function dtypeAttr(ctx: OpContext, name: string, fallback?: DataTypeName): DataTypeName {
  if (!ctx.hasAttr(name)) {
    if (fallback === undefined) return ctx.fail(`attribute ${name} is required`)
    return fallback
  }
  const a = ctx.node.attributes.get(name)
  if (a?.type === 'string') {
    // Cast-1 names types as strings (FLOAT, INT64, …)
    const named = LEGACY_TYPE_NAMES[a.value.toUpperCase()]
    return named ?? ctx.fail(`unknown data type ${a.value}`, a.value)
  }
  const code = ctx.attrInt(name)
  return dataTypeName(code) ?? ctx.fail(`unknown data type code ${code}`, code)
}

const LEGACY_TYPE_NAMES: Readonly<Record<string, DataTypeName>> = {
  FLOAT: 'float32', UINT8: 'uint8', INT8: 'int8', UINT16: 'uint16', INT16: 'int16', INT32: 'int32', INT64: 'int64',
  STRING: 'string', BOOL: 'bool', FLOAT16: 'float16', DOUBLE: 'float64', UINT32: 'uint32', UINT64: 'uint64',
  COMPLEX64: 'complex64', COMPLEX128: 'complex128', BFLOAT16: 'bfloat16',
}

const INT_RANGES: Partial<Record<DataTypeName, readonly [number, number]>> = {
  int8: [-128, 256], uint8: [0, 256], int16: [-32768, 65536], uint16: [0, 65536], int32: [-(2 ** 31), 2 ** 32],
  uint32: [0, 2 ** 32], int4: [-8, 16], uint4: [0, 16], int2: [-2, 4], uint2: [0, 4],
}

/**
 * Cast of one element (onnxruntime semantics): float → int truncates toward zero and wraps to the width, → bool is
 * x ≠ 0. A symbolic dim survives casts to int64/int32/float (it is an exact integer); other casts of it are unknown.
 */
export function castScalar(v: Scalar, to: DataTypeName): Scalar | undefined {
  if (typeof v === 'string') {
    return to === 'int64' || to === 'int32' || to === 'uint64' || to === 'uint32' || isFloatType(to) ? v : undefined
  }
  if (to === 'bool') return v !== 0 && !Number.isNaN(v) ? 1 : 0
  if (isFloatType(to)) return to === 'float32' ? Math.fround(v) : v
  if (to === 'int64' || to === 'uint64') return Number.isFinite(v) ? Math.trunc(v) : undefined
  const range = INT_RANGES[to]
  if (range === undefined) return undefined
  if (!Number.isFinite(v)) return undefined
  const [lo, span] = range
  const t = Math.trunc(v)
  return ((((t - lo) % span) + span) % span) + lo
}

/** a / b when it divides exactly (symbols cancel as factors), else undefined. */
export function dimDivExact(a: Dim, b: Dim): Dim | undefined {
  if (typeof a === 'number' && typeof b === 'number') return b !== 0 && a % b === 0 ? a / b : undefined
  const fa = factors(a)
  const fb = factors(b)
  if (fa === undefined || fb === undefined || fb.coef === 0 || fa.coef % fb.coef !== 0) return undefined
  const rest = [...fa.atoms]
  for (const x of fb.atoms) {
    const i = rest.indexOf(x)
    if (i < 0) return undefined
    rest.splice(i, 1)
  }
  return dimMul(fa.coef / fb.coef, dimProduct(rest))
}

/** A monomial `c*A*B` as its coefficient and atoms; a polynomial with several terms is one opaque atom. */
function factors(d: Dim): { coef: number; atoms: string[] } | undefined {
  if (typeof d === 'number') return { coef: d, atoms: [] }
  if (splitTop(d, ' ').length > 1) return { coef: 1, atoms: [d] }
  const parts = splitTop(d, '*')
  let coef = 1
  const atoms: string[] = []
  for (const p of parts) {
    if (/^-?\d+$/.test(p)) coef *= Number(p)
    else if (p.startsWith('-')) {
      coef = -coef
      atoms.push(p.slice(1))
    } else atoms.push(p)
  }
  return { coef, atoms }
}

/** Splits at `sep` outside parentheses. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === sep && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out
}

/**
 * The common type of several tensors (sequence elements, Optional/If branches): the dtype of the first; dims
 * kept where all agree, a fresh symbol where they differ; rank unknown when ranks differ.
 */
export function mergeTensorTypes(ctx: OpContext, types: readonly TensorType[], label: string): TensorType | undefined {
  const first = types[0]
  if (first === undefined) return undefined
  if (types.length === 1) return { kind: 'tensor', dtype: first.dtype, dims: first.dims }
  const ranks = new Set(types.map((t) => t.dims?.length ?? -1))
  if (ranks.size !== 1 || first.dims === undefined) return { kind: 'tensor', dtype: first.dtype, dims: undefined }
  const dims = first.dims.map((d, i) => (types.every((t) => t.dims?.[i] === d) ? d : ctx.freshDim(`${label}${i}`)))
  return { kind: 'tensor', dtype: first.dtype, dims }
}

/** A tensor input as a tensor type when it is one (undefined for absent, sequence, optional). */
export function asTensor(t: InferredType | undefined): TensorType | undefined {
  return t?.kind === 'tensor' ? t : undefined
}

/** Bit width of a dtype, for BitCast. */
export function bitsOf(dtype: DataTypeName): number {
  return dataTypeBits(dtype)
}

/** d − k clamped at 0 for numbers; symbolic stays symbolic. */
export function dimSubClamped(d: Dim, k: Dim): Dim {
  const r = dimSub(d, k)
  return typeof r === 'number' ? Math.max(0, r) : r
}
