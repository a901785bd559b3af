/**
 * Running totals and peaks of dims: a sum over a graph's nodes, or the largest value a running total of live
 * bytes reaches, kept as polynomials and printed once when read (adding symbolic dims one at a time prints and
 * interns every partial result).
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { dimMax, type Dim } from './dims.js'
import { cAdd, cNeg, comparePolys, fromPoly, MAX_CANDIDATES, nonPositive, toPoly, type Poly } from './polynomial.js'

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

  /** True when the total is ≤ 0 whenever every symbol is ≥ 1 (as `comparePolys` decides it). */
  atMostZero(): boolean {
    return this.isNumber ? this.number <= 0 : nonPositive(this.toPoly())
  }

  /** Starts again from 0. */
  reset(): void {
    this.number = 0
    this.poly = undefined
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
keepHiddenClass(() => new DimSum())

/**
 * The largest value a running total reaches, symbols taken ≥ 1 (the peak of live bytes over a schedule): the
 * same as folding `dimMax` over the total at each mark, but the candidates are kept as polynomials, those another
 * bounds dropped as they come, and printed once when the peak is read.
 */
export class DimPeak {
  private readonly total = new DimSum()
  /**
   * Once the peak is a polynomial (`tracking`): the total minus the latest candidate kept (what was added and taken
   * since that candidate was the total). While it is ≤ 0 the total is bounded by the peak, without comparing.
   */
  private readonly overLatest = new DimSum()
  private tracking = false
  private peakNumber: number | undefined
  private readonly kept: Poly[] = []

  add(d: Dim): void {
    this.total.add(d)
    if (this.tracking) this.overLatest.add(d)
  }

  sub(d: Dim): void {
    this.total.sub(d)
    if (this.tracking) this.overLatest.sub(d)
  }

  /** The running total. */
  current(): Dim {
    return this.total.value()
  }

  /** Takes the current total as a candidate; true when the peak changed (the total was not bounded by it). */
  mark(): boolean {
    // the layers of a transformer go up and down to the same totals: most are bounded by the latest candidate,
    // which the difference kept since it was the total shows without printing or copying the total
    if (this.tracking && this.overLatest.atMostZero()) return false
    const changed = this.compare()
    if (changed) {
      // the total is the latest candidate now (tracking starts at the first polynomial one)
      this.overLatest.reset()
      this.tracking = this.kept.length > 0
    }
    return changed
  }

  /** {@link mark} without the shortcut. */
  private compare(): boolean {
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
    return this.kept.map(fromPoly).reduce(dimMax)
  }
}
keepHiddenClass(() => new DimPeak())
