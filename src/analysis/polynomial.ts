/**
 * The polynomials behind symbolic dims (see dims.ts, the public side): coefficients that stay numbers while safe
 * and become BigInts past 2^53, polynomials as monomial → coefficient maps, their canonical printed form (the
 * `Dim` string) and the interning that maps a printed form back to its polynomial, opaque atoms (`max(…)`,
 * `floor(…)`) and their signs, and comparisons for symbols ≥ 1. Internal to src/analysis: only dims.ts and
 * dims-running.ts import it.
 */
import type { Dim } from './dims.js'

export type Coef = number | bigint
/** monomial key (atoms sorted, joined by \u0001; '' for the constant) → non-zero coefficient */
export type Poly = Map<string, Coef>

/** An opaque atom whose structure is known: evaluated on substitution, looked into for its symbols. */
type Opaque =
  | { readonly kind: 'max'; readonly args: readonly Dim[] }
  | { readonly kind: 'min'; readonly args: readonly Dim[] }
  | { readonly kind: 'floor'; readonly arg: Dim; readonly divisor: number }
  | { readonly kind: 'ceil'; readonly arg: Dim; readonly divisor: number }

const SEP = '\u0001'
export const INTERNED = new Map<string, Poly>()
export const OPAQUE = new Map<string, Opaque>()
export const DECIMAL = /^-?\d+$/
const OPAQUE_NAME = /^(floor|ceil|max|min)\(/
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
/** Candidates of a max/min kept beyond this stop being compared (the atom stays exact, just longer). */
export const MAX_CANDIDATES = 64

export function atom(name: string): Poly {
  return new Map([[name, 1]])
}

// ── coefficients: numbers while safe, BigInts past 2^53 ───────────────────────────────────────────────────────

export function normBig(c: bigint): Coef {
  return c >= MIN_SAFE && c <= MAX_SAFE ? Number(c) : c
}

function isFraction(c: Coef): boolean {
  return typeof c === 'number' && !Number.isInteger(c)
}

export function cAdd(a: Coef, b: Coef): Coef {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r
  }
  if (isFraction(a) || isFraction(b)) return Number(a) + Number(b)
  return normBig(BigInt(a) + BigInt(b))
}

export function cMul(a: Coef, b: Coef): Coef {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r
  }
  if (isFraction(a) || isFraction(b)) return Number(a) * Number(b)
  return normBig(BigInt(a) * BigInt(b))
}

export function cNeg(a: Coef): Coef {
  return typeof a === 'number' ? -a : normBig(-a)
}

function cAbs(a: Coef): Coef {
  return a < 0 ? cNeg(a) : a
}

/** A constant as a Dim: a number when safe, else its decimal digits. */
export function constDim(c: Coef): Dim {
  if (typeof c === 'number') return c
  const s = c.toString()
  if (!INTERNED.has(s)) INTERNED.set(s, new Map([['', c]]))
  return s
}

/** The exact value of an integer past 2^53 that a double holds (2^62 from an int64 tensor, …) as a Dim. */
export function bigResult(a: number, b: number, op: (x: bigint, y: bigint) => bigint): Dim {
  return constDim(normBig(op(BigInt(a), BigInt(b))))
}

// ── polynomials ───────────────────────────────────────────────────────────────────────────────────────────────

export function toPoly(d: Dim): Poly {
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

export function monoInfo(key: string): MonoInfo {
  let info = MONO_INFO.get(key)
  if (info === undefined) {
    const atoms = key === '' ? [] : key.split(SEP)
    info = { atoms, degree: atoms.length, body: atoms.map(wrapAtom).join('*') }
    MONO_INFO.set(key, info)
  }
  return info
}

export function monoDegree(key: string): number {
  return monoInfo(key).degree
}

/** Highest degree first, then alphabetical; the constant last. */
function compareMonos(a: string, b: string): number {
  if (a === '') return 1
  if (b === '') return -1
  return monoInfo(b).degree - monoInfo(a).degree || (a < b ? -1 : a > b ? 1 : 0)
}

export function fromPoly(p: Poly): Dim {
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

export function wrapAtom(a: string): string {
  return PLAIN_ATOM.test(a) ? a : `(${a})`
}

export function addPolys(a: Poly, b: Poly, sign: 1 | -1): Poly {
  const out = new Map(a)
  for (const [k, v] of b) {
    const prev = out.get(k)
    const term = sign === 1 ? v : cNeg(v)
    out.set(k, prev === undefined ? term : cAdd(prev, term))
  }
  return out
}

export function mulPolys(pa: Poly, pb: Poly): Poly {
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
export function opaqueAtom(name: string, def: Opaque): Dim {
  OPAQUE.set(name, def)
  return fromPoly(atom(name))
}

export function divides(c: Coef, b: number): boolean {
  return typeof c === 'number' ? c % b === 0 : c % BigInt(b) === 0n
}

export function divide(c: Coef, b: number): Coef {
  return typeof c === 'number' ? c / b : normBig(c / BigInt(b))
}

// ── signs and comparisons (every symbol ≥ 1) ──────────────────────────────────────────────────────────────────

/** 1: the atom is ≥ 1 (a symbol); 0: it is ≥ 0; undefined: its sign is unknown. */
const ATOM_SIGN = new Map<string, 1 | 0 | undefined>()

export function atomSign(name: string): 1 | 0 | undefined {
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
    if (mono !== '' && monoSigns(mono).unknown) return false
  }
  if (allNonNegative) return true
  const shifted: Poly = new Map()
  for (const [mono, c] of p) {
    // (from + y1)(from + y2)…: every subset of the symbols keeps its y's, the rest contribute `from`
    for (const { key, dropped } of monoSigns(mono).expansion) {
      let coef: Coef = c
      if (from !== 1) for (const symbol of dropped) coef = cMul(coef, typeof from === 'number' ? from : from.get(symbol) ?? 1)
      const prev = shifted.get(key)
      shifted.set(key, prev === undefined ? coef : cAdd(prev, coef))
    }
  }
  for (const c of shifted.values()) if (c < 0) return false
  return true
}

/** What {@link nonNegative} needs of a monomial, worked out once per key (see {@link monoSigns}). */
interface MonoSigns {
  /** An atom of unknown sign occurs in it: no sign test can be made. */
  readonly unknown: boolean
  /**
   * The product of (from + y) over its symbols (atoms ≥ 1), expanded: for each subset of the symbols, the monomial
   * the kept ones form with the atoms that stay variables, and the symbols replaced by `from`.
   */
  readonly expansion: readonly { readonly key: string; readonly dropped: readonly string[] }[]
}

const MONO_SIGNS = new Map<string, MonoSigns>()

/**
 * A monomial's signs and expansion, worked out once per key: a polynomial compared at every step of a schedule
 * (the peak of live bytes over 24,000 nodes) expands the same monomials again and again. Signs are fixed once
 * known (`atomSign` keeps them), so the cache is too.
 */
function monoSigns(mono: string): MonoSigns {
  let signs = MONO_SIGNS.get(mono)
  if (signs !== undefined) return signs
  const atoms = monoInfo(mono).atoms
  const unknown = atoms.some((a) => atomSign(a) === undefined)
  const symbols = atoms.filter((a) => atomSign(a) === 1)
  const fixed = atoms.filter((a) => atomSign(a) !== 1)
  const n = symbols.length
  const expansion: { key: string; dropped: string[] }[] = []
  if (!unknown) {
    for (let mask = 0; mask < 1 << n; mask++) {
      const kept: string[] = [...fixed]
      const dropped: string[] = []
      for (let i = 0; i < n; i++) {
        if (mask & (1 << i)) kept.push(symbols[i]!)
        else dropped.push(symbols[i]!)
      }
      expansion.push({ key: kept.sort().join(SEP), dropped })
    }
  }
  signs = { unknown, expansion }
  MONO_SIGNS.set(mono, signs)
  return signs
}

/** True when p ≤ 0 whenever every symbol is ≥ 1: the test {@link comparePolys} makes of a difference. */
export function nonPositive(p: Poly): boolean {
  const negated: Poly = new Map()
  for (const [k, c] of p) if (c !== 0) negated.set(k, cNeg(c))
  return nonNegative(negated, 1)
}

export function comparePolys(a: Poly, b: Poly, from: number | ReadonlyMap<string, number> = 1): -1 | 0 | 1 | undefined {
  const diff = addPolys(a, b, -1)
  for (const [k, c] of diff) if (c === 0) diff.delete(k)
  if (diff.size === 0) return 0
  if (nonNegative(diff, from)) return 1
  for (const [k, c] of diff) diff.set(k, cNeg(c))
  if (nonNegative(diff, from)) return -1
  return undefined
}
