import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../fixtures/builder/index.js'
import {
  dimAdd, dimCeilDiv, dimCompare, dimExtremum, dimFloorDiv, dimMax, dimMin, dimMul, dimSub, dimSubstitute, dimSymbols, type Dim, dimProduct, symbolDim,
} from '../../src/analysis/dims.js'
import { DimPeak, DimSum } from '../../src/analysis/dims-running.js'

describe('max and min of polynomials over symbols ≥ 1', () => {
  it('drop a candidate another bounds coefficient-wise', () => {
    expect(dimMax('N', dimMul(2, 'N'))).toBe('2*N')
    expect(dimMax(dimAdd(dimMul(3, 'N'), 4), dimAdd(dimMul(2, 'N'), 1))).toBe('3*N + 4')
    expect(dimMin('N', dimMul(2, 'N'))).toBe('N')
  })

  it('drop a candidate bounded only once symbols are ≥ 1 (N·S ≥ N; 24·b·s ≥ 16)', () => {
    // N·S − N = N·(S − 1) has a negative coefficient, yet is ≥ 0 for N, S ≥ 1
    expect(dimMax(dimMul('N', 'S'), 'N')).toBe('N*S')
    expect(dimMax(dimMul(24, dimMul('b', 's')), 16)).toBe('24*b*s')
    expect(dimMin(dimMul(24, dimMul('b', 's')), 16)).toBe(16)
  })

  it('merge equal candidates however they were built', () => {
    expect(dimMax(dimAdd('N', 'N'), dimMul(2, 'N'))).toBe('2*N')
    expect(dimMax('N', 'N')).toBe('N')
  })

  it('treat constants like any candidate: a symbol beats 1 and 0, not 5', () => {
    expect(dimMax('N', 1)).toBe('N')
    expect(dimMax('N', 0)).toBe('N')
    expect(dimMin('N', 1)).toBe(1)
    expect(dimMax(3, 7)).toBe(7)
    expect(dimMax('N', 5)).toBe('max(N, 5)')
    // N·S + 1 − 4 is −2 at N = S = 1 and positive later: both stay
    expect(dimMax(dimAdd(dimMul('N', 'S'), 1), 4)).toBe('max(N*S + 1, 4)')
  })

  it('keep incomparable candidates, flattened, in one canonical order (fastest-growing first)', () => {
    const abc = dimMax(dimMax('A', 'B'), 'C')
    expect(abc).toBe('max(A, B, C)')
    expect(dimMax('C', dimMax('B', 'A'))).toBe(abc)
    expect(dimMax(abc, 'B')).toBe(abc)
    // 2N vs N + 3: 4 > 2 at N = 1, 10 > 8 at N = 5
    expect(dimMax(dimAdd('N', 3), dimMul(2, 'N'))).toBe('max(2*N, N + 3)')
    expect(dimMin(dimAdd('N', 3), dimMul(2, 'N'))).toBe('min(N + 3, 2*N)')
    // a candidate that dominates a flattened one removes it
    expect(dimMax(abc, dimAdd('A', 'B'))).toBe('max(A + B, C)')
  })

  it('name the candidate that dominates for large values, with the bound proved per symbol', () => {
    // 64·b·s² + 2048·b·s − 21024·b·s = 64·b·s·(s − 296.5): ≥ 0 once s ≥ 297 whatever b ≥ 1; bounds are powers of 2
    const peak = dimMax(dimAdd(dimMul(64, dimMul('b', dimMul('s', 's'))), dimMul(2048, dimMul('b', 's'))), dimMul(21024, dimMul('b', 's')))
    expect(peak).toBe('max(64*b*s*s + 2048*b*s, 21024*b*s)')
    expect(dimExtremum(peak)).toEqual({ kind: 'max', candidates: ['64*b*s*s + 2048*b*s', '21024*b*s'], dominant: '64*b*s*s + 2048*b*s', from: { s: 512 } })
    // b·s² vs b²·s: which is larger depends on the direction, for every bound
    const tie = dimMax(dimMul('b', dimMul('s', 's')), dimMul('b', dimMul('b', 's')))
    expect(dimExtremum(tie)?.dominant).toBeUndefined()
    expect(dimExtremum('N')).toBeUndefined()
  })

  it('compare values assuming every symbol is ≥ 1', () => {
    expect(dimCompare(dimMul('N', 'S'), 'N')).toBe(1)
    expect(dimCompare('N', dimMul('N', 'S'))).toBe(-1)
    expect(dimCompare(dimMul(2, 'N'), dimAdd('N', 3))).toBeUndefined()
    expect(dimCompare(dimAdd('N', 'N'), dimMul(2, 'N'))).toBe(0)
  })
})

describe('symbols of a value', () => {
  it('are the dim_params inside max/min/floor/ceil terms, never the terms themselves', () => {
    expect(dimSymbols(dimMax(dimMul('batch', 'seq'), dimAdd('seq', 7)))).toEqual(['batch', 'seq'])
    expect(dimSymbols(dimFloorDiv(dimSub('H', 1), 2))).toEqual(['H'])
    expect(dimSymbols(dimAdd(dimCeilDiv('W', 3), dimMin('C', 4)))).toEqual(['C', 'W'])
    expect(dimSymbols('1208925819614629174706176')).toEqual([])
  })
})

describe('soundness: the simplified form evaluates like the expression it came from', () => {
  type Expr = { op: 'sym'; name: string } | { op: 'const'; value: number } | { op: '+' | '-' | '*' | 'max' | 'min'; a: Expr; b: Expr } | { op: 'floor'; a: Expr; by: number }
  const SYMBOLS = ['a', 'b', 'c']

  function randomExpr(rand: () => number, depth: number): Expr {
    if (depth === 0 || rand() < 0.2) return rand() < 0.6 ? { op: 'sym', name: SYMBOLS[Math.floor(rand() * SYMBOLS.length)]! } : { op: 'const', value: Math.floor(rand() * 40) }
    const r = rand()
    if (r < 0.08) return { op: 'floor', a: randomExpr(rand, depth - 1), by: 2 + Math.floor(rand() * 3) }
    const op = (['+', '-', '*', 'max', 'max', 'min'] as const)[Math.floor(rand() * 6)]!
    return { op, a: randomExpr(rand, depth - 1), b: randomExpr(rand, depth - 1) }
  }

  function symbolic(e: Expr): Dim {
    switch (e.op) {
      case 'sym': return e.name
      case 'const': return e.value
      case '+': return dimAdd(symbolic(e.a), symbolic(e.b))
      case '-': return dimSub(symbolic(e.a), symbolic(e.b))
      case '*': return dimMul(symbolic(e.a), symbolic(e.b))
      case 'max': return dimMax(symbolic(e.a), symbolic(e.b))
      case 'min': return dimMin(symbolic(e.a), symbolic(e.b))
      case 'floor': return dimFloorDiv(symbolic(e.a), e.by)
    }
  }

  function numeric(e: Expr, at: Readonly<Record<string, number>>): number {
    switch (e.op) {
      case 'sym': return at[e.name]!
      case 'const': return e.value
      case '+': return numeric(e.a, at) + numeric(e.b, at)
      case '-': return numeric(e.a, at) - numeric(e.b, at)
      case '*': return numeric(e.a, at) * numeric(e.b, at)
      case 'max': return Math.max(numeric(e.a, at), numeric(e.b, at))
      case 'min': return Math.min(numeric(e.a, at), numeric(e.b, at))
      case 'floor': return Math.floor(numeric(e.a, at) / e.by)
    }
  }

  it('at random points with every symbol ≥ 1, for 400 random expressions of max/min/+/−/×/floor', () => {
    const rand = mulberry32(15)
    let withExtremum = 0
    for (let i = 0; i < 400; i++) {
      const e = randomExpr(rand, 4)
      const simplified = symbolic(e)
      if (typeof simplified === 'string' && /max\(|min\(/.test(simplified)) withExtremum++
      for (let k = 0; k < 6; k++) {
        const at = { a: 1 + Math.floor(rand() * (k < 3 ? 4 : 60)), b: 1 + Math.floor(rand() * (k < 3 ? 4 : 60)), c: 1 + Math.floor(rand() * 9) }
        expect(dimSubstitute(simplified, at), `${JSON.stringify(e)} at ${JSON.stringify(at)}`).toBe(numeric(e, at))
      }
    }
    // the property is exercised on terms that really keep several candidates
    expect(withExtremum).toBeGreaterThan(40)
  })
})

describe('counts past 2^53 stay exact', () => {
  it('multiply and add as BigInts once a result is not a safe integer, back to numbers when it is again', () => {
    // 2^62 (a trip count an int64 holds exactly) × 64³ = 2^80
    expect(dimMul(2 ** 62, 64 ** 3)).toBe('1208925819614629174706176')
    expect(dimMul(2 ** 40, 2 ** 40)).toBe((2n ** 80n).toString())
    expect(dimMul('1208925819614629174706176', 2 ** 40)).toBe((2n ** 120n).toString())
    expect(dimAdd(Number.MAX_SAFE_INTEGER, 2)).toBe('9007199254740993')
    expect(dimSub('9007199254740993', 2)).toBe(Number.MAX_SAFE_INTEGER)
    expect(dimSub(0, dimMul(2 ** 40, 2 ** 40))).toBe(`-${2n ** 80n}`)
  })

  it('keep huge coefficients exact inside polynomials and on substitution', () => {
    const perToken = dimMul(dimMul('N', 2 ** 40), 2 ** 40)
    expect(perToken).toBe('1208925819614629174706176*N')
    expect(dimSubstitute(perToken, { N: 3 })).toBe((3n * 2n ** 80n).toString())
    expect(dimSymbols(perToken)).toEqual(['N'])
    expect(dimFloorDiv('1208925819614629174706177', 2)).toBe((2n ** 79n).toString())
    expect(dimCeilDiv('1208925819614629174706177', 2)).toBe((2n ** 79n + 1n).toString())
    expect(dimMax('1208925819614629174706176', 2 ** 52)).toBe('1208925819614629174706176')
    expect(dimCompare('1208925819614629174706177', '1208925819614629174706176')).toBe(1)
  })
})

describe('a running total (DimSum)', () => {
  it('gives what adding the same dims one by one with dimAdd gives: numbers, symbols, past 2^53, negatives', () => {
    const rand = mulberry32(2026)
    const pick = (): Dim => {
      const r = rand()
      if (r < 0.4) return Math.floor(rand() * 1e6)
      if (r < 0.5) return Number.MAX_SAFE_INTEGER - Math.floor(rand() * 10)
      if (r < 0.6) return -Math.floor(rand() * 1000)
      if (r < 0.75) return dimMul(symbolDim('batch'), Math.floor(rand() * 100) + 1)
      if (r < 0.9) return dimMul(dimMul(symbolDim('batch'), symbolDim('sequence')), Math.floor(rand() * 50))
      return dimMax(symbolDim('sequence'), symbolDim('past_sequence'))
    }
    for (let trial = 0; trial < 200; trial++) {
      const dims = Array.from({ length: 1 + Math.floor(rand() * 40) }, pick)
      const sum = new DimSum()
      let expected: Dim = 0
      for (const d of dims) {
        sum.add(d)
        expected = dimAdd(expected, d)
      }
      expect(sum.value()).toEqual(expected)
    }
  })

  it('is 0 when nothing was added, and a number while every addend is one and the sum is safe', () => {
    expect(new DimSum().value()).toBe(0)
    const sum = new DimSum()
    sum.add(2 ** 52)
    sum.add(2 ** 52 - 1)
    expect(sum.value()).toBe(2 ** 53 - 1)
    sum.add(1)
    expect(sum.value()).toBe('9007199254740992')
  })
})

describe('a running peak (DimPeak)', () => {
  it('gives what folding dimMax over the running total gives, and says when the peak moved', () => {
    const rand = mulberry32(7)
    const b = symbolDim('batch')
    const s = symbolDim('sequence')
    const p = symbolDim('past_sequence')
    const sizes: Dim[] = [1024, 4096, dimMul(b, 512), dimMul(dimMul(b, s), 2048), dimMul(dimMul(b, p), 1024), dimMul(dimMul(dimMul(b, s), p), 4), 7]
    for (let trial = 0; trial < 600; trial++) {
      const peak = new DimPeak()
      let live: Dim = 0
      let folded: Dim | undefined
      for (let step = 0; step < 30; step++) {
        const size = sizes[Math.floor(rand() * sizes.length)]!
        const add: boolean = rand() < 0.6 || live === 0
        peak[add ? 'add' : 'sub'](size)
        live = add ? dimAdd(live, size) : dimSub(live, size)
        const next: Dim = folded === undefined ? live : dimMax(live, folded)
        expect(peak.mark()).toBe(folded === undefined || next !== folded)
        folded = next
        expect(peak.current()).toEqual(live)
      }
      expect(peak.value()).toEqual(folded)
    }
  })

  it('is 0 before anything is marked', () => {
    expect(new DimPeak().value()).toBe(0)
  })
})

describe('dimProduct', () => {
  it('gives what multiplying one by one with dimMul gives', () => {
    const n = symbolDim('N')
    const lists: Dim[][] = [[2, 3, 4], [n, 3, n], [2 ** 40, 2 ** 20, n], [3, 0, n], [n, symbolDim('H'), 2 ** 53 - 1], [], [n]]
    for (const dims of lists) expect(dimProduct(dims)).toEqual(dims.reduce<Dim>((a, d) => dimMul(a, d), 1))
  })
})
