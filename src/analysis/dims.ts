/**
 * Dims and counts that may be symbolic or past 2^53.
 *
 * A `Dim` is a number when known and a safe integer (or a fraction), and a string otherwise: either the decimal
 * digits of an exact integer too large for a double (`1208925819614629174706176`), or a polynomial with integer
 * coefficients over atoms (a `dim_param` such as `N`, or an opaque term such as `floor((H - 1)/2)` or
 * `max(A, B)`), kept in a canonical printed form so that equal polynomials print equally: `8*N`, `N*S + 2`,
 * `3*H*W`. Costs use the same arithmetic, so a model with an unresolved batch gets exact totals such as
 * `4089184256*N`, and a count past 2^53 stays exact. Plain number arithmetic is the fast path: a result leaves it
 * only when it is not a safe integer, and coefficients then become BigInts.
 *
 * Symbols are taken to be ≥ 1 (a dim of a real input): `max`/`min` of polynomials drop every candidate another
 * one bounds for all such values, so a peak over many tensor lifetimes reads as the few candidates that remain.
 */

import {
  addPolys, atom, atomSign, bigResult, cAdd, cMul, comparePolys, constDim, DECIMAL, divide, divides, fromPoly, INTERNED, MAX_CANDIDATES, monoDegree, monoInfo,
  mulPolys, normBig, OPAQUE, opaqueAtom, toPoly, wrapAtom, type Coef, type Poly,
} from './polynomial.js'

/** A dimension or count: a number when known and safe, a decimal string past 2^53, a canonical polynomial string when symbolic. */
export type Dim = number | string

/** True when the value is a known number (a safe integer: counts past 2^53 are exact decimal strings). */
export function isStaticDim(d: Dim | undefined): d is number {
  return typeof d === 'number'
}

/** True for the exact decimal digits of an integer past 2^53 (`"1208925819614629174706176"`): a constant, not a symbol. */
export function isBigDim(d: Dim | undefined): d is string {
  return typeof d === 'string' && DECIMAL.test(d)
}

/** The value of a Dim that holds no symbol as a BigInt; undefined when it is symbolic (or a fraction). */
export function dimToBigInt(d: Dim): bigint | undefined {
  if (typeof d === 'number') return Number.isInteger(d) ? BigInt(d) : undefined
  return DECIMAL.test(d) ? BigInt(d) : undefined
}

/** An exact integer as a Dim: a number when safe, else its decimal digits. */
export function dimFromBigInt(value: bigint): Dim {
  return constDim(normBig(value))
}
/** a + b */
export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r
    return bigResult(a, b, (x, y) => x + y)
  }
  // a Dim is canonical already
  if (a === 0) return b
  if (b === 0) return a
  return fromPoly(addPolys(toPoly(a), toPoly(b), 1))
}

/** a − b */
export function dimSub(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r
    return bigResult(a, b, (x, y) => x - y)
  }
  return fromPoly(addPolys(toPoly(a), toPoly(b), -1))
}

/** a × b */
export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r
    return bigResult(a, b, (x, y) => x * y)
  }
  if (a === 0 || b === 0) return 0
  return fromPoly(mulPolys(toPoly(a), toPoly(b)))
}

/** The product of a list of dims (1 for an empty list). */
export function dimProduct(dims: readonly Dim[]): Dim {
  let p: Dim = 1
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i]!
    if (typeof p === 'number' && typeof d === 'number') p = dimMul(p, d)
    else {
      // symbolic from here: multiply polynomials, print once
      if (p === 0 || d === 0) return 0
      let poly = mulPolys(toPoly(p), toPoly(d))
      for (let j = i + 1; j < dims.length; j++) {
        if (dims[j] === 0) return 0
        poly = mulPolys(poly, toPoly(dims[j]!))
      }
      return fromPoly(poly)
    }
  }
  return p
}

/** The sum of a list of dims (0 for an empty list). */
export function dimSum(dims: readonly Dim[]): Dim {
  let s: Dim = 0
  for (const d of dims) s = dimAdd(s, d)
  return s
}

/** ⌊a / b⌋ for a positive integer b: exact when every coefficient divides, else an opaque `floor(…)` term. */
export function dimFloorDiv(a: Dim, b: number): Dim {
  if (typeof a === 'number') return Math.floor(a / b)
  if (b === 1) return a
  const big = dimToBigInt(a)
  if (big !== undefined) {
    const q = big / BigInt(b)
    return dimFromBigInt(big < 0n && q * BigInt(b) !== big ? q - 1n : q)
  }
  const p = toPoly(a)
  if ([...p.values()].every((c) => divides(c, b))) return fromPoly(new Map([...p].map(([k, c]) => [k, divide(c, b)])))
  return opaqueAtom(`floor((${a})/${b})`, { kind: 'floor', arg: a, divisor: b })
}

/** ⌈a / b⌉ for a positive integer b. */
export function dimCeilDiv(a: Dim, b: number): Dim {
  if (typeof a === 'number') return Math.ceil(a / b)
  if (b === 1) return a
  const big = dimToBigInt(a)
  if (big !== undefined) return dimSub(0, dimFloorDiv(dimFromBigInt(-big), b))
  const p = toPoly(a)
  if ([...p.values()].every((c) => divides(c, b))) return dimFloorDiv(a, b)
  return opaqueAtom(`ceil((${a})/${b})`, { kind: 'ceil', arg: a, divisor: b })
}

/**
 * Compares two values assuming every symbol is ≥ 1: 1 when a ≥ b for all such values, -1 when a ≤ b, 0 when
 * equal, undefined when it depends on the symbols.
 */
export function dimCompare(a: Dim, b: Dim): -1 | 0 | 1 | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a > b ? 1 : -1
  if (a === b) return 0
  return comparePolys(toPoly(a), toPoly(b))
}

// ── max and min ───────────────────────────────────────────────────────────────────────────────────────────────

/** Coefficients of p(t, t, …, t) by degree, highest first: the order of growth when every symbol grows together. */
function growth(p: Poly): Coef[] {
  const byDegree: Coef[] = []
  for (const [mono, c] of p) {
    const d = monoDegree(mono)
    byDegree[d] = byDegree[d] === undefined ? c : cAdd(byDegree[d]!, c)
  }
  const out: Coef[] = []
  for (let d = byDegree.length - 1; d >= 0; d--) out.push(byDegree[d] ?? 0)
  return out
}

function compareGrowth(a: readonly Coef[], b: readonly Coef[]): number {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a[i - (n - a.length)] ?? 0
    const y = b[i - (n - b.length)] ?? 0
    if (x !== y) return x > y ? 1 : -1
  }
  return 0
}

function extremum(kind: 'max' | 'min', values: readonly Dim[]): Dim {
  const flat: Dim[] = []
  for (const v of values) {
    const o = typeof v === 'string' ? OPAQUE.get(v) : undefined
    if (o !== undefined && o.kind === kind) flat.push(...o.args)
    else flat.push(v)
  }
  const sign = kind === 'max' ? 1 : -1
  const kept: { dim: Dim; poly: Poly }[] = []
  for (const dim of flat) {
    if (kept.some((k) => k.dim === dim)) continue
    const poly = toPoly(dim)
    if (kept.length >= MAX_CANDIDATES) {
      kept.push({ dim, poly })
      continue
    }
    let dominated = false
    for (let i = kept.length - 1; i >= 0; i--) {
      const c = comparePolys(poly, kept[i]!.poly)
      if (c === undefined) continue
      if (c === 0 || c === -sign) {
        dominated = true
        break
      }
      kept.splice(i, 1)
    }
    if (!dominated) kept.push({ dim, poly })
  }
  if (kept.length === 1) return kept[0]!.dim
  // canonical order: the fastest-growing candidate first (last for min), then by text
  const ranked = kept.map((k) => ({ ...k, growth: growth(k.poly), text: String(k.dim) }))
  ranked.sort((x, y) => sign * -compareGrowth(x.growth, y.growth) || (x.text < y.text ? -1 : x.text > y.text ? 1 : 0))
  const args = ranked.map((k) => k.dim)
  const name = `${kind}(${ranked.map((k) => k.text).join(', ')})`
  if (OPAQUE.has(name)) return fromPoly(atom(name))
  return opaqueAtom(name, kind === 'max' ? { kind: 'max', args } : { kind: 'min', args })
}

/**
 * max(a, b), simplified for symbols ≥ 1: nested maxima are flattened, equal candidates merged, and every
 * candidate another one bounds for all such values is dropped; what remains is an opaque, canonical
 * `max(…)` term (fastest-growing candidate first), or the one candidate left.
 */
export function dimMax(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b)
  if (a === b) return a
  return extremum('max', [a, b])
}

/** min(a, b), simplified like {@link dimMax}. */
export function dimMin(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.min(a, b)
  if (a === b) return a
  return extremum('min', [a, b])
}

/**
 * The candidates of a value that is a `max(…)` (or `min(…)`) of polynomials, and the one that dominates for
 * large values: `dominant` bounds every other candidate whenever each symbol named in `from` is at least that
 * bound (other symbols: any value ≥ 1) — proved, not sampled. Undefined when the value is not such a term.
 */
export function dimExtremum(d: Dim): { readonly kind: 'max' | 'min'; readonly candidates: readonly Dim[]; readonly dominant: Dim | undefined; readonly from: Readonly<Record<string, number>> } | undefined {
  const o = typeof d === 'string' ? OPAQUE.get(d) : undefined
  if (o === undefined || o.kind === 'floor' || o.kind === 'ceil') return undefined
  const first = toPoly(o.args[0]!)
  const others = o.args.slice(1).map(toPoly)
  const sign = o.kind === 'max' ? 1 : -1
  const holds = (from: ReadonlyMap<string, number>): boolean => others.every((x) => comparePolys(first, x, from) === sign)
  const symbols = dimSymbols(d)
  for (let bound = 2; bound <= 1 << 24; bound *= 2) {
    const from = new Map(symbols.map((s) => [s, bound]))
    if (!holds(from)) continue
    // the bound per symbol: as low as the proof still goes through (a symbol the order does not depend on drops out)
    for (const s of symbols) {
      let low = from.get(s)!
      while (low > 1) {
        const next = low === 2 ? 1 : low / 2
        if (!holds(new Map([...from, [s, next]]))) break
        low = next
      }
      from.set(s, low)
    }
    const bounds = Object.fromEntries([...from].filter(([, v]) => v > 1))
    return { kind: o.kind, candidates: o.args, dominant: o.args[0], from: bounds }
  }
  return { kind: o.kind, candidates: o.args, dominant: undefined, from: {} }
}

/**
 * Orders two values for a "largest first" listing: by {@link dimCompare} when that decides, else by growth when
 * every symbol grows together (`256*b*s*s` before `1280000*b*s`), else by text.
 */
export function dimCompareForLarge(a: Dim, b: Dim): number {
  const c = dimCompare(a, b)
  if (c !== undefined) return c
  return compareGrowth(growth(toPoly(a)), growth(toPoly(b))) || (String(a) < String(b) ? 1 : String(a) > String(b) ? -1 : 0)
}

// ── symbols and substitution ──────────────────────────────────────────────────────────────────────────────────

function collectSymbols(d: Dim, out: Set<string>): void {
  if (typeof d === 'number') return
  for (const mono of toPoly(d).keys()) {
    if (mono === '') continue
    for (const a of monoInfo(mono).atoms) {
      const o = OPAQUE.get(a)
      if (o === undefined) out.add(a)
      else if (o.kind === 'max' || o.kind === 'min') for (const x of o.args) collectSymbols(x, out)
      else collectSymbols(o.arg, out)
    }
  }
}

/** The symbols (dim_param names, fresh run-time sizes) a value depends on, sorted; never an expression. */
export function dimSymbols(d: Dim): string[] {
  if (typeof d === 'number') return []
  const out = new Set<string>()
  collectSymbols(d, out)
  return [...out].sort()
}

/** Declares a name as a symbol (an atom), even when it looks like an expression, e.g. a dim_param `N+1`. */
export function symbolDim(name: string): Dim {
  const p = atom(name)
  const printed = wrapAtom(name)
  if (!INTERNED.has(printed)) INTERNED.set(printed, p)
  return printed
}

function substituteAtom(name: string, sizes: Readonly<Record<string, number>>): Dim {
  const given = sizes[name]
  if (given !== undefined) return given
  const o = OPAQUE.get(name)
  if (o === undefined) return symbolDim(name)
  switch (o.kind) {
    case 'max':
    case 'min': {
      const args = o.args.map((x) => dimSubstitute(x, sizes))
      if (args.every((x) => typeof x === 'number')) return (o.kind === 'max' ? Math.max : Math.min)(...(args as number[]))
      if (args.every((x) => dimToBigInt(x) !== undefined)) {
        const big = args.map((x) => dimToBigInt(x)!)
        return dimFromBigInt(big.reduce((m, x) => ((o.kind === 'max' ? x > m : x < m) ? x : m)))
      }
      return extremum(o.kind, args)
    }
    case 'floor':
      return dimFloorDiv(dimSubstitute(o.arg, sizes), o.divisor)
    case 'ceil':
      return dimCeilDiv(dimSubstitute(o.arg, sizes), o.divisor)
  }
}

/** Substitutes known symbol sizes (inside max/min/floor/ceil too); returns a number (or an exact decimal string) when every symbol is given. */
export function dimSubstitute(d: Dim, sizes: Readonly<Record<string, number>>): Dim {
  if (typeof d === 'number') return d
  let out: Dim = 0
  for (const [mono, coef] of toPoly(d)) {
    let term: Dim = constDim(coef)
    for (const a of monoInfo(mono).atoms) term = dimMul(term, substituteAtom(a, sizes))
    out = dimAdd(out, term)
  }
  return out
}
