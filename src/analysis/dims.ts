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

/** A dimension or count: a number when known and safe, a decimal string past 2^53, a canonical polynomial string when symbolic. */
export type Dim = number | string

type Coef = number | bigint
/** monomial key (atoms sorted, joined by \u0001; '' for the constant) → non-zero coefficient */
type Poly = Map<string, Coef>

/** An opaque atom whose structure is known: evaluated on substitution, looked into for its symbols. */
type Opaque =
  | { readonly kind: 'max'; readonly args: readonly Dim[] }
  | { readonly kind: 'min'; readonly args: readonly Dim[] }
  | { readonly kind: 'floor'; readonly arg: Dim; readonly divisor: number }
  | { readonly kind: 'ceil'; readonly arg: Dim; readonly divisor: number }

const SEP = '\u0001'
const INTERNED = new Map<string, Poly>()
const OPAQUE = new Map<string, Opaque>()
const DECIMAL = /^-?\d+$/
const OPAQUE_NAME = /^(floor|ceil|max|min)\(/
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
/** Candidates of a max/min kept beyond this stop being compared (the atom stays exact, just longer). */
const MAX_CANDIDATES = 64

function atom(name: string): Poly {
  return new Map([[name, 1]])
}

// ── coefficients: numbers while safe, BigInts past 2^53 ───────────────────────────────────────────────────────

function normBig(c: bigint): Coef {
  return c >= MIN_SAFE && c <= MAX_SAFE ? Number(c) : c
}

function isFraction(c: Coef): boolean {
  return typeof c === 'number' && !Number.isInteger(c)
}

function cAdd(a: Coef, b: Coef): Coef {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r
  }
  if (isFraction(a) || isFraction(b)) return Number(a) + Number(b)
  return normBig(BigInt(a) + BigInt(b))
}

function cMul(a: Coef, b: Coef): Coef {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r
  }
  if (isFraction(a) || isFraction(b)) return Number(a) * Number(b)
  return normBig(BigInt(a) * BigInt(b))
}

function cNeg(a: Coef): Coef {
  return typeof a === 'number' ? -a : normBig(-a)
}

function cAbs(a: Coef): Coef {
  return a < 0 ? cNeg(a) : a
}

/** A constant as a Dim: a number when safe, else its decimal digits. */
function constDim(c: Coef): Dim {
  if (typeof c === 'number') return c
  const s = c.toString()
  if (!INTERNED.has(s)) INTERNED.set(s, new Map([['', c]]))
  return s
}

/** The exact value of an integer past 2^53 that a double holds (2^62 from an int64 tensor, …) as a Dim. */
function bigResult(a: number, b: number, op: (x: bigint, y: bigint) => bigint): Dim {
  return constDim(normBig(op(BigInt(a), BigInt(b))))
}

// ── polynomials ───────────────────────────────────────────────────────────────────────────────────────────────

function toPoly(d: Dim): Poly {
  if (typeof d === 'number') return new Map(d === 0 ? [] : [['', d]])
  const interned = INTERNED.get(d)
  if (interned !== undefined) return interned
  if (DECIMAL.test(d)) {
    const c = normBig(BigInt(d))
    return new Map(c === 0 ? [] : [['', c]])
  }
  return atom(d)
}

/** What printing and ordering need of a monomial key, worked out once per key. */
interface MonoInfo {
  readonly atoms: readonly string[]
  readonly degree: number
  /** The atoms as printed, joined by `*` ('' for the constant). */
  readonly body: string
}

const MONO_INFO = new Map<string, MonoInfo>()

function monoInfo(key: string): MonoInfo {
  let info = MONO_INFO.get(key)
  if (info === undefined) {
    const atoms = key === '' ? [] : key.split(SEP)
    info = { atoms, degree: atoms.length, body: atoms.map(wrapAtom).join('*') }
    MONO_INFO.set(key, info)
  }
  return info
}

function monoDegree(key: string): number {
  return monoInfo(key).degree
}

/** Highest degree first, then alphabetical; the constant last. */
function compareMonos(a: string, b: string): number {
  if (a === '') return 1
  if (b === '') return -1
  return monoInfo(b).degree - monoInfo(a).degree || (a < b ? -1 : a > b ? 1 : 0)
}

function fromPoly(p: Poly): Dim {
  const terms: [string, Coef][] = []
  for (const entry of p) if (entry[1] !== 0) terms.push(entry)
  if (terms.length === 0) return 0
  if (terms.length === 1 && terms[0]![0] === '') return constDim(terms[0]![1])
  if (terms.length > 1) terms.sort((x, y) => compareMonos(x[0], y[0]))
  let s = ''
  for (const [mono, coef] of terms) {
    const body = monoInfo(mono).body
    const mag = cAbs(coef)
    const term = body === '' ? String(mag) : mag === 1 ? body : `${mag}*${body}`
    s += s === '' ? (coef < 0 ? `-${term}` : term) : coef < 0 ? ` - ${term}` : ` + ${term}`
  }
  if (!INTERNED.has(s)) INTERNED.set(s, new Map(terms))
  return s
}

const PLAIN_ATOM = /^[A-Za-z_][\w.:/-]*$|^floor\(|^ceil\(|^max\(|^min\(/

function wrapAtom(a: string): string {
  return PLAIN_ATOM.test(a) ? a : `(${a})`
}

function addPolys(a: Poly, b: Poly, sign: 1 | -1): Poly {
  const out = new Map(a)
  for (const [k, v] of b) {
    const prev = out.get(k)
    const term = sign === 1 ? v : cNeg(v)
    out.set(k, prev === undefined ? term : cAdd(prev, term))
  }
  return out
}

function mulPolys(pa: Poly, pb: Poly): Poly {
  const out: Poly = new Map()
  for (const [ka, va] of pa) {
    for (const [kb, vb] of pb) {
      const key = ka === '' ? kb : kb === '' ? ka : [...monoInfo(ka).atoms, ...monoInfo(kb).atoms].sort().join(SEP)
      const prev = out.get(key)
      const term = cMul(va, vb)
      out.set(key, prev === undefined ? term : cAdd(prev, term))
    }
  }
  return out
}

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

/**
 * A running total of dims, printed once when read: adding a graph's per-node costs one `dimAdd` at a time would
 * print (and intern) every partial sum of a symbolic total. Exact as `dimAdd`: numbers while the sum is a safe
 * integer, then BigInt coefficients.
 */
export class DimSum {
  private number = 0
  private poly: Poly | undefined

  add(d: Dim): void {
    this.addSigned(d, 1)
  }

  sub(d: Dim): void {
    this.addSigned(d, -1)
  }

  /** Adds (sign 1) or subtracts (-1) another running total. */
  addSum(other: DimSum, sign: 1 | -1 = 1): void {
    this.addSigned(other.number, sign)
    if (other.poly !== undefined) this.addPoly(other.poly, sign)
  }

  /** True while the total is a number (no symbol, no coefficient past 2^53). */
  get isNumber(): boolean {
    return this.poly === undefined || this.poly.size === 0
  }

  /** The total so far, as `dimAdd` would give it. */
  value(): Dim {
    if (this.isNumber) return this.number
    return fromPoly(this.toPoly())
  }

  /** The total as a polynomial (a copy). */
  toPoly(): Poly {
    const total: Poly = new Map()
    if (this.poly !== undefined) for (const [k, c] of this.poly) if (c !== 0) total.set(k, c)
    if (this.number !== 0) {
      const c = cAdd(total.get('') ?? 0, this.number)
      if (c === 0) total.delete('')
      else total.set('', c)
    }
    return total
  }

  private addSigned(d: Dim, sign: 1 | -1): void {
    if (typeof d === 'number') {
      const r = sign === 1 ? this.number + d : this.number - d
      if (Number.isSafeInteger(r) || !Number.isInteger(d) || !Number.isInteger(this.number)) {
        this.number = r
        return
      }
    }
    this.addPoly(toPoly(d), sign)
  }

  private addPoly(p: Poly, sign: 1 | -1): void {
    const poly = (this.poly ??= new Map())
    for (const [k, v] of p) {
      const term = sign === 1 ? v : cNeg(v)
      const prev = poly.get(k)
      const c = prev === undefined ? term : cAdd(prev, term)
      if (c === 0) poly.delete(k)
      else poly.set(k, c)
    }
  }
}

/**
 * The largest value a running total reaches, symbols taken ≥ 1 (the peak of live bytes over a schedule): the
 * same as folding `dimMax` over the total at each mark, but the candidates are kept as polynomials, those another
 * bounds dropped as they come, and printed once when the peak is read.
 */
export class DimPeak {
  readonly total = new DimSum()
  private peakNumber: number | undefined
  private readonly kept: Poly[] = []

  /** Takes the current total as a candidate; true when the peak changed (the total was not bounded by it). */
  mark(): boolean {
    const total = this.total
    if (this.kept.length === 0 && total.isNumber) {
      const n = total.value() as number
      if (this.peakNumber !== undefined && n <= this.peakNumber) return false
      this.peakNumber = n
      return true
    }
    if (this.kept.length === 0 && this.peakNumber !== undefined) this.kept.push(toPoly(this.peakNumber))
    this.peakNumber = undefined
    const poly = total.toPoly()
    if (this.kept.length >= MAX_CANDIDATES) {
      this.kept.push(poly)
      return true
    }
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const c = comparePolys(poly, this.kept[i]!)
      if (c === undefined) continue
      if (c === 0 || c === -1) return false
      this.kept.splice(i, 1)
    }
    this.kept.push(poly)
    return true
  }

  /** The peak, as folding `dimMax` would print it; 0 before any mark. */
  value(): Dim {
    if (this.kept.length === 0) return this.peakNumber ?? 0
    if (this.kept.length === 1) return fromPoly(this.kept[0]!)
    return extremum('max', this.kept.map(fromPoly))
  }
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

function opaqueAtom(name: string, def: Opaque): Dim {
  OPAQUE.set(name, def)
  return fromPoly(atom(name))
}

function divides(c: Coef, b: number): boolean {
  return typeof c === 'number' ? c % b === 0 : c % BigInt(b) === 0n
}

function divide(c: Coef, b: number): Coef {
  return typeof c === 'number' ? c / b : normBig(c / BigInt(b))
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

// ── signs and comparisons (every symbol ≥ 1) ──────────────────────────────────────────────────────────────────

/** 1: the atom is ≥ 1 (a symbol); 0: it is ≥ 0; undefined: its sign is unknown. */
const ATOM_SIGN = new Map<string, 1 | 0 | undefined>()

function atomSign(name: string): 1 | 0 | undefined {
  if (ATOM_SIGN.has(name)) return ATOM_SIGN.get(name)
  const o = OPAQUE.get(name)
  let sign: 1 | 0 | undefined
  if (o === undefined) sign = OPAQUE_NAME.test(name) ? undefined : 1
  else if (o.kind === 'floor' || o.kind === 'ceil') sign = nonNegative(toPoly(o.arg), 1) ? 0 : undefined
  else if (o.kind === 'max') sign = o.args.some((x) => nonNegative(toPoly(x), 1)) ? 0 : undefined
  else sign = o.args.every((x) => nonNegative(toPoly(x), 1)) ? 0 : undefined
  ATOM_SIGN.set(name, sign)
  return sign
}

/**
 * A sufficient test that p ≥ 0 whenever every symbol is ≥ `from` (one bound for all, or one per symbol, 1 when
 * absent): substitute each symbol x = from + y (y ≥ 0)
 * and check that every coefficient of the expanded polynomial is ≥ 0. Opaque atoms known ≥ 0 stay variables.
 * Stronger than comparing coefficients (it proves 24·b·s − 16 ≥ 0), and sound.
 */
function nonNegative(p: Poly, from: number | ReadonlyMap<string, number>): boolean {
  let allNonNegative = true
  for (const [mono, c] of p) {
    if (c < 0) allNonNegative = false
    if (mono !== '' && monoInfo(mono).atoms.some((a) => atomSign(a) === undefined)) return false
  }
  if (allNonNegative) return true
  const shifted: Poly = new Map()
  for (const [mono, c] of p) {
    const atoms = monoInfo(mono).atoms
    const symbols = atoms.filter((a) => atomSign(a) === 1)
    const fixed = atoms.filter((a) => atomSign(a) !== 1)
    // (from + y1)(from + y2)…: every subset of the symbols keeps its y's, the rest contribute `from`
    const n = symbols.length
    for (let mask = 0; mask < 1 << n; mask++) {
      const kept: string[] = [...fixed]
      let coef: Coef = c
      for (let i = 0; i < n; i++) {
        if (mask & (1 << i)) kept.push(symbols[i]!)
        else coef = cMul(coef, typeof from === 'number' ? from : from.get(symbols[i]!) ?? 1)
      }
      const key = kept.sort().join(SEP)
      const prev = shifted.get(key)
      shifted.set(key, prev === undefined ? coef : cAdd(prev, coef))
    }
  }
  for (const c of shifted.values()) if (c < 0) return false
  return true
}

function comparePolys(a: Poly, b: Poly, from: number | ReadonlyMap<string, number> = 1): -1 | 0 | 1 | undefined {
  const diff = addPolys(a, b, -1)
  for (const [k, c] of diff) if (c === 0) diff.delete(k)
  if (diff.size === 0) return 0
  if (nonNegative(diff, from)) return 1
  for (const [k, c] of diff) diff.set(k, cNeg(c))
  if (nonNegative(diff, from)) return -1
  return undefined
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
