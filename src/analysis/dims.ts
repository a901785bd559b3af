/**
 * Dims and counts that may be symbolic.
 *
 * A `Dim` is a number when known and a string when symbolic. Symbolic values are polynomials with integer
 * coefficients over atoms (a `dim_param` such as `N`, or an opaque term such as `floor((H - 1)/2)`), kept in a
 * canonical printed form so that equal polynomials print equally: `8*N`, `N*S + 2`, `3*H*W`.
 * Costs use the same arithmetic, so a model with an unresolved batch gets exact totals such as `4089184256*N`.
 */

/** A dimension or count: a number when known, a canonical polynomial string when symbolic. */
export type Dim = number | string

/** monomial key (atoms sorted, joined by \u0001; '' for the constant) → coefficient */
type Poly = Map<string, number>

const SEP = '\u0001'
const INTERNED = new Map<string, Poly>()

function atom(name: string): Poly {
  return new Map([[name, 1]])
}

function toPoly(d: Dim): Poly {
  if (typeof d === 'number') return new Map(d === 0 ? [] : [['', d]])
  return INTERNED.get(d) ?? atom(d)
}

function fromPoly(p: Poly): Dim {
  const terms = [...p.entries()].filter(([, c]) => c !== 0)
  if (terms.length === 0) return 0
  if (terms.length === 1 && terms[0]![0] === '') return terms[0]![1]
  // highest degree first, then alphabetical; the constant last
  terms.sort(([a], [b]) => {
    if (a === '') return 1
    if (b === '') return -1
    const da = a.split(SEP).length
    const db = b.split(SEP).length
    return db - da || (a < b ? -1 : a > b ? 1 : 0)
  })
  let s = ''
  for (const [mono, coef] of terms) {
    const body = mono === '' ? '' : mono.split(SEP).map(wrapAtom).join('*')
    const mag = Math.abs(coef)
    const term = body === '' ? String(mag) : mag === 1 ? body : `${mag}*${body}`
    s += s === '' ? (coef < 0 ? `-${term}` : term) : coef < 0 ? ` - ${term}` : ` + ${term}`
  }
  if (!INTERNED.has(s)) INTERNED.set(s, new Map(terms))
  return s
}

function wrapAtom(a: string): string {
  return /^[A-Za-z_][\w.:/-]*$|^floor\(|^ceil\(|^max\(|^min\(/.test(a) ? a : `(${a})`
}

function addPolys(a: Poly, b: Poly, sign: 1 | -1): Poly {
  const out = new Map(a)
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + sign * v)
  return out
}

/** True when the value is a known number. */
export function isStaticDim(d: Dim | undefined): d is number {
  return typeof d === 'number'
}

/** a + b */
export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b
  return fromPoly(addPolys(toPoly(a), toPoly(b), 1))
}

/** a − b */
export function dimSub(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return fromPoly(addPolys(toPoly(a), toPoly(b), -1))
}

/** a × b */
export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a * b
  if (a === 0 || b === 0) return 0
  const pa = toPoly(a)
  const pb = toPoly(b)
  const out: Poly = new Map()
  for (const [ka, va] of pa) {
    for (const [kb, vb] of pb) {
      const atoms = [...(ka === '' ? [] : ka.split(SEP)), ...(kb === '' ? [] : kb.split(SEP))].sort()
      const key = atoms.join(SEP)
      out.set(key, (out.get(key) ?? 0) + va * vb)
    }
  }
  return fromPoly(out)
}

/** The product of a list of dims (1 for an empty list). */
export function dimProduct(dims: readonly Dim[]): Dim {
  let p: Dim = 1
  for (const d of dims) p = dimMul(p, d)
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
  const p = toPoly(a)
  if ([...p.values()].every((c) => c % b === 0)) {
    return fromPoly(new Map([...p].map(([k, c]) => [k, c / b])))
  }
  return fromPoly(atom(`floor((${a})/${b})`))
}

/** ⌈a / b⌉ for a positive integer b. */
export function dimCeilDiv(a: Dim, b: number): Dim {
  if (typeof a === 'number') return Math.ceil(a / b)
  if (b === 1) return a
  const p = toPoly(a)
  if ([...p.values()].every((c) => c % b === 0)) return dimFloorDiv(a, b)
  return fromPoly(atom(`ceil((${a})/${b})`))
}

/** max(a, b): exact for numbers and for equal values, else an opaque `max(…)` term. */
export function dimMax(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b)
  if (a === b) return a
  return fromPoly(atom(`max(${String(a)}, ${String(b)})`))
}

/** min(a, b): exact for numbers and for equal values, else an opaque `min(…)` term. */
export function dimMin(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.min(a, b)
  if (a === b) return a
  return fromPoly(atom(`min(${String(a)}, ${String(b)})`))
}

/** The symbols (dim_param names and opaque terms) a value depends on, sorted. */
export function dimSymbols(d: Dim): string[] {
  if (typeof d === 'number') return []
  const out = new Set<string>()
  for (const mono of toPoly(d).keys()) {
    if (mono === '') continue
    for (const a of mono.split(SEP)) out.add(a)
  }
  return [...out].sort()
}

/** Declares a name as a symbol (an atom), even when it looks like an expression, e.g. a dim_param `N+1`. */
export function symbolDim(name: string): Dim {
  const p = atom(name)
  const printed = wrapAtom(name)
  if (!INTERNED.has(printed)) INTERNED.set(printed, p)
  return printed
}

/**
 * Compares two values assuming every symbol is ≥ 1: 1 when a ≥ b for all such values, -1 when a ≤ b, 0 when
 * equal, undefined when it depends on the symbols.
 */
export function dimCompare(a: Dim, b: Dim): -1 | 0 | 1 | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a > b ? 1 : -1
  const diff = toPoly(dimSub(a, b))
  const coefs = [...diff.values()].filter((c) => c !== 0)
  if (coefs.length === 0) return 0
  // with all symbols ≥ 1 and only non-opaque monomials, a polynomial whose coefficients share a sign has that sign
  const opaque = [...diff.keys()].some((k) => k.split(SEP).some((atomName) => /^(floor|ceil|max|min)\(/.test(atomName)))
  if (opaque) return undefined
  if (coefs.every((c) => c >= 0)) return 1
  if (coefs.every((c) => c <= 0)) return -1
  return undefined
}

/** The larger of two values when that is decidable for all symbol values ≥ 1, else an opaque `max(…)`. */
export function dimLarger(a: Dim, b: Dim): Dim {
  const c = dimCompare(a, b)
  return c === undefined ? dimMax(a, b) : c >= 0 ? a : b
}

/** Substitutes known symbol sizes; returns a number when every symbol is given. */
export function dimSubstitute(d: Dim, sizes: Readonly<Record<string, number>>): Dim {
  if (typeof d === 'number') return d
  let out: Dim = 0
  for (const [mono, coef] of toPoly(d)) {
    let term: Dim = coef
    for (const a of mono === '' ? [] : mono.split(SEP)) term = dimMul(term, sizes[a] ?? symbolDim(a))
    out = dimAdd(out, term)
  }
  return out
}
