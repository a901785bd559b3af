import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { analyzeModelSync } from '../../src/analysis/index.js'
import { estimateLatency, roofline, type DeviceProfile } from '../../src/estimate/index.js'

// A round-number device: 1 GFLOP/s fp32, 2 GFLOP/s fp16, 4 Gop/s int8, 1 GB/s, 1 µs per node, 10 µs per run, 4 cores.
const P: DeviceProfile = {
  id: 'round', name: 'round numbers', cores: 4,
  peakFlops: { float32: 1e9, float16: 2e9, int8: 4e9 },
  memoryBandwidth: 1e9, nodeOverheadUs: 1, runOverheadUs: 10, sources: {},
}

type N = Parameters<typeof roofline>[0][number]
const node = (name: string, opType: string, flops: N['flops'], read: number, written: number, dtype = 'float32'): N => ({
  name, opType, domain: '', counted: flops !== null, macs: null, params: 0, flops, bytesRead: read, bytesWritten: written,
  outputs: [{ name: `${name}:0`, dtype, dims: [1] }],
})

const GRAPH: N[] = [
  node('A', 'MatMul', 2e6, 8e4, 2e4), // compute 2e6/1e9 = 2 ms > memory 1e5/1e9 = 0.1 ms → 2 ms + 1 µs
  node('B', 'Add', 1e4, 2e6, 1e6), // memory 3e6/1e9 = 3 ms > compute 0.01 ms → 3 ms + 1 µs
  node('C', 'Reshape', 0, 0, 0), // nothing but the 1 µs overhead
  node('D', 'MatMul', 2e6, 0, 0, 'float16'), // fp16 rate: 2e6/2e9 = 1 ms + 1 µs
  node('E', 'Mystery', null, 0, 0), // no cost rule: left out and listed
]

describe('the roofline arithmetic', () => {
  it('sums max(compute, memory) + overhead per node, plus the run overhead (hand-worked: 6.014 ms)', () => {
    const r = roofline(GRAPH, P)
    // compute: A 2 + D 1 = 3 ms; memory: B 3 ms; overhead: 4 nodes × 1 µs + 10 µs = 0.014 ms
    expect(r.computeMs).toBeCloseTo(3, 9)
    expect(r.memoryMs).toBeCloseTo(3, 9)
    expect(r.overheadMs).toBeCloseTo(0.014, 9)
    expect(r.totalMs).toBeCloseTo(6.014, 9)
    expect(r.nodes.map((n) => [n.name, Number(n.ms.toFixed(6)), n.bound])).toEqual([
      ['A', 2.001, 'compute'], ['B', 3.001, 'memory'], ['C', 0.001, 'overhead'], ['D', 1.001, 'compute'],
    ])
    expect(r.unestimated).toEqual([{ name: 'E', opType: 'Mystery' }])
  })

  it('scales compute (not memory) with threads, up to the profile\'s cores', () => {
    // 2 threads: A 1 ms, D 0.5 ms, B still 3 ms → 4.514 ms; 8 threads clamp to 4 cores: A 0.5, D 0.25 → 3.764 ms
    expect(roofline(GRAPH, P, 2).totalMs).toBeCloseTo(4.514, 9)
    expect(roofline(GRAPH, P, 8).totalMs).toBeCloseTo(3.764, 9)
  })

  it('runs a dtype the profile has no figure for at the float32 rate, and says so', () => {
    const noHalf: DeviceProfile = { ...P, peakFlops: { float32: 1e9 } }
    const r = roofline(GRAPH, noHalf)
    // D now takes 2e6/1e9 = 2 ms: total 6.014 + 1 = 7.014 ms
    expect(r.totalMs).toBeCloseTo(7.014, 9)
    expect(r.assumedFloat32).toEqual(['float16'])
    expect(r.nodes.find((n) => n.name === 'D')?.computeDtype).toBe('float32')
  })

  it('int8 kernels (int32 accumulators out) take the int8 rate', () => {
    // 4e6 ops / 4e9 op/s = 1 ms + 1 µs + 10 µs run overhead
    expect(roofline([node('Q', 'MatMulInteger', 4e6, 0, 0, 'int32')], P).totalMs).toBeCloseTo(1.011, 9)
  })

  it('a count that still depends on a symbol is E_UNRESOLVED_DIM, not a guess', () => {
    expect(() => roofline([node('S', 'MatMul', '2*N', 0, 0)], P)).toThrow(expect.objectContaining({ code: 'E_UNRESOLVED_DIM', node: 'S' }) as Error)
  })

  it('estimateLatency applies the roofline to the analysis of a fixture, labelled as an estimate', async () => {
    const path = join(FIXTURES_DIR, 'conv', 'model.onnx')
    const a = analyzeModelSync(path)
    // Independent sum over the analysis's own per-node figures with the round-number device.
    let ms = 0.01
    for (const n of a.nodes) ms += Math.max((n.flops as number) / 1e9, ((n.bytesRead as number) + (n.bytesWritten as number)) / 1e9) * 1e3 + 0.001
    const e = await estimateLatency(path, { device: P })
    expect(e.kind).toBe('estimated')
    expect(e.latencyMs).toBeCloseTo(ms, 9)
    expect(e.profile.id).toBe('round')
    expect(e.dominating[0]?.opType).toBe('Conv')
    expect(e.isLowerBound).toBe(false)
    expect(e.note).toMatch(/^Roofline estimate, not a measurement/)
    // Conv 3→8, 3×3, 8×8 output: 13,824 MACs = 27,648 FLOPs at 1 GFLOP/s ≈ 0.0276 ms, so it dominates.
    expect(e.dominating[0]?.ms).toBeGreaterThan(0.0276)
  })

  it('an unknown op makes the estimate a lower bound and names it', async () => {
    const e = await estimateLatency(join(FIXTURES_DIR, 'unknown-op', 'model.onnx'), { device: 'raspberry-pi-5' })
    expect(e.isLowerBound).toBe(true)
    expect(e.unestimated.map((u) => u.opType)).toEqual(['MysteryOp'])
    expect(e.note).toContain('lower bound')
  })
})

describe('the bandwidth curve', () => {
  it('interpolates log-log between measured points and is flat beyond them', async () => {
    const { bandwidthFor } = await import('../../src/estimate/roofline.js')
    const curved: DeviceProfile = { ...P, bandwidthCurve: [{ bytes: 1e3, bytesPerSec: 1e10 }, { bytes: 1e5, bytesPerSec: 1e9 }] }
    // 1e4 is halfway between 1e3 and 1e5 in log space, so the bandwidth is halfway in log space: 10^9.5 B/s.
    expect(bandwidthFor(curved, 1e4)).toBeCloseTo(10 ** 9.5, -3)
    expect(bandwidthFor(curved, 10)).toBe(1e10)
    expect(bandwidthFor(curved, 1e9)).toBe(1e9)
    expect(bandwidthFor(P, 1e4)).toBe(1e9)
    // A memory-bound Add moving 1e4 bytes: 1e4 / 10^9.5 s = 3.162 µs, + 1 µs node + 10 µs run overhead.
    expect(roofline([node('B', 'Add', 1, 5e3, 5e3)], curved).totalMs).toBeCloseTo((1e4 / 10 ** 9.5 + 11e-6) * 1e3, 9)
  })
})

describe('per-tensor call overhead', () => {
  it('charges ioOverheadUs for each graph input and output', () => {
    const io: DeviceProfile = { ...P, ioOverheadUs: 2 }
    // Reshape: 1 µs node + 10 µs run + 3 tensors × 2 µs = 17 µs
    expect(roofline([node('C', 'Reshape', 0, 0, 0)], io, 1, 3).totalMs).toBeCloseTo(0.017, 9)
    expect(roofline([node('C', 'Reshape', 0, 0, 0)], P, 1, 3).totalMs).toBeCloseTo(0.011, 9)
  })
})
