import { describe, expect, it } from 'vitest'
import {
  median, medianAbsoluteDeviation, quantileSorted, ratioOfMedians, sampleSd, seededRandom, summarizeLatency, thinSorted, tQuantile975,
} from '../../src/bench/stats.js'

describe('latency statistics', () => {
  it('percentiles interpolate linearly between order statistics (type 7)', () => {
    // h = (n − 1)·p = 3·0.9 = 2.7 → 3 + 0.7·(4 − 3) = 3.7
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12)
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1)
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4)
    expect(quantileSorted([10], 0.99)).toBe(10)
  })

  it('refuses an empty sample and a probability outside [0, 1]', () => {
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError)
    expect(() => quantileSorted([1], 1.5)).toThrow(RangeError)
  })

  it('the median sorts first; the MAD is unscaled', () => {
    expect(median([5, 1, 3])).toBe(3)
    // median 2; |x − 2| = 1 1 0 0 2 4 7 → sorted 0 0 1 1 2 4 7 → 1
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1)
  })

  it('the standard deviation divides by n − 1', () => {
    // mean 5, squared deviations sum to 32, 32 / 7 = 4.5714…
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(sampleSd([3])).toBe(0)
  })

  it("Student's t: the table up to 30 degrees of freedom, Cornish–Fisher beyond", () => {
    expect(tQuantile975(1)).toBe(12.706)
    expect(tQuantile975(30)).toBe(2.042)
    expect(tQuantile975(100)).toBeCloseTo(1.98397, 4)
    expect(tQuantile975(1e9)).toBeCloseTo(1.95996, 4)
  })

  it('summarises 1…5 ms as computed by hand', () => {
    const s = summarizeLatency([5, 3, 1, 4, 2])
    expect(s).toEqual({
      mean: 3,
      p50: 3,
      p90: expect.closeTo(4.6, 12) as number, // h = 3.6
      p95: expect.closeTo(4.8, 12) as number,
      p99: expect.closeTo(4.96, 12) as number,
      min: 1,
      max: 5,
      sd: expect.closeTo(Math.sqrt(2.5), 12) as number,
      mad: 1,
      // 100 · t(0.975, 4) · sd / √n / mean = 100 · 2.776 · 1.5811 / 2.2361 / 3
      rme: expect.closeTo(65.4309, 3) as number,
      samples: 5,
    })
    expect(s.raw).toBeUndefined()
    expect(summarizeLatency([2, 1], true).raw).toEqual([1, 2])
  })
})

describe('ratio of medians with a block-bootstrap interval', () => {
  it('is exact when every round agrees', () => {
    const r = ratioOfMedians([[1, 1, 1], [1, 1, 1]], [[2, 2, 2], [2, 2, 2]])
    expect(r.ratio).toBe(2)
    expect(r.ci).toEqual([2, 2])
    expect(r.confidence).toBe(0.95)
  })

  it('is median(B) / median(A) over all samples', () => {
    expect(ratioOfMedians([[1, 2, 3]], [[2, 4, 6]]).ratio).toBe(2)
    expect(ratioOfMedians([[1, 9], [2]], [[3], [4, 5]]).ratio).toBe(4 / 2)
  })

  it('is deterministic for a seed and brackets the estimate', () => {
    const random = seededRandom(7)
    const rounds = (scale: number): number[][] => Array.from({ length: 12 }, () => Array.from({ length: 30 }, () => scale * (1 + 0.2 * random())))
    const a = rounds(1)
    const b = rounds(1.1)
    const one = ratioOfMedians(a, b, { seed: 3 })
    expect(ratioOfMedians(a, b, { seed: 3 })).toEqual(one)
    expect(one.ci[0]).toBeLessThanOrEqual(one.ratio)
    expect(one.ci[1]).toBeGreaterThanOrEqual(one.ratio)
    expect(one.ci[0]).toBeGreaterThan(1)
  })

  it('needs the same positive number of non-empty rounds on both sides', () => {
    expect(() => ratioOfMedians([[1]], [[1], [2]])).toThrow(RangeError)
    expect(() => ratioOfMedians([], [])).toThrow(RangeError)
    expect(() => ratioOfMedians([[]], [[1]])).toThrow(RangeError)
  })

  it('thins a round to evenly spaced quantiles', () => {
    expect(thinSorted([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([0, 5, 10])
    expect(thinSorted([1, 2], 3)).toEqual([1, 2])
  })

  it('the seeded generator repeats its sequence', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const xs = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
  })
})
