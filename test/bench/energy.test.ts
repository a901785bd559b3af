import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { AnalysisReport } from '../../src/analysis/index.js'
import { ENERGY_COEFFICIENTS, estimateEnergy, measuredEnergy, raplJoules, readRapl } from '../../src/bench/energy.js'

function fakeReport(fields: { macs: number | string; flops: number; memoryAccessBytes: number; weightsBytes: number; dtype?: string }): AnalysisReport {
  return {
    macs: fields.macs,
    flops: fields.flops,
    memoryAccessBytes: fields.memoryAccessBytes,
    params: { weightsBytes: fields.weightsBytes, byDtype: { [fields.dtype ?? 'float32']: { count: 1, bytes: fields.weightsBytes } } },
    coverage: { totalsAreLowerBounds: false },
  } as unknown as AnalysisReport
}

describe('energy per inference', () => {
  it('estimates float32 from MACs, element-wise FLOPs, weights from DRAM and the rest from SRAM', () => {
    // 1e6 MACs · 4.6 pJ + (2.1e6 − 2e6) FLOPs · 0.9 pJ + 1e4 B · 160 pJ + (5e4 − 1e4) B · 12.5 pJ
    const pj = 1e6 * 4.6 + 1e5 * 0.9 + 1e4 * 160 + 4e4 * 12.5
    const e = estimateEnergy(fakeReport({ macs: 1e6, flops: 2.1e6, memoryAccessBytes: 5e4, weightsBytes: 1e4 }), 2)
    expect(e.kind).toBe('estimated')
    expect(e.joulesPerInference).toBeCloseTo(pj * 1e-12, 18)
    expect(e.joulesPerSample).toBeCloseTo((pj * 1e-12) / 2, 18)
    expect(e.source).toBe(ENERGY_COEFFICIENTS.source)
    expect(e.source).toContain('Horowitz')
  })

  it('uses int8 MAC energy for a model whose weights are int8', () => {
    const e = estimateEnergy(fakeReport({ macs: 1e6, flops: 2e6, memoryAccessBytes: 0, weightsBytes: 0, dtype: 'int8' }), 1)
    expect(e.joulesPerInference).toBeCloseTo(1e6 * 0.23e-12, 18)
  })

  it('gives no number (with the reason) for symbolic MACs or without an analysis', () => {
    expect(estimateEnergy(fakeReport({ macs: '64*N', flops: 0, memoryAccessBytes: 0, weightsBytes: 0 }), 1)).toMatchObject({ kind: 'estimated', joulesPerInference: null })
    expect(estimateEnergy(undefined, 1, 'analysis failed').note).toContain('analysis failed')
  })

  describe('RAPL counters', () => {
    const root = mkdtempSync(join(tmpdir(), 'modelgate-powercap-'))
    afterAll(() => rmSync(root, { recursive: true, force: true }))
    const domain = (name: string, label: string, uj: number, max = 1_000_000): void => {
      mkdirSync(join(root, name), { recursive: true })
      writeFileSync(join(root, name, 'name'), `${label}\n`)
      writeFileSync(join(root, name, 'energy_uj'), `${uj}\n`)
      writeFileSync(join(root, name, 'max_energy_range_uj'), `${max}\n`)
    }

    it('give null, never a throw, when the powercap directory is missing', () => {
      expect(readRapl(join(root, 'nope'))).toBeNull()
    })

    it('reads the package domains only and measures across a wrap-around', () => {
      domain('intel-rapl:0', 'package-0', 999_000)
      domain('intel-rapl:0:0', 'core', 5)
      const before = readRapl(root)
      expect(before?.map((c) => c.name)).toEqual(['package-0'])
      domain('intel-rapl:0', 'package-0', 1_000)
      const after = readRapl(root) ?? []
      // 999,000 → wraps at 1,000,000 → 1,000: 2,000 µJ
      expect(raplJoules(before ?? [], after)).toBeCloseTo(0.002, 12)
      const e = measuredEnergy(before ?? [], after, 4, 2)
      expect(e).toMatchObject({ kind: 'measured', joulesPerInference: 0.0005, joulesPerSample: 0.00025 })
      expect(e.source).toContain('intel-rapl:0 (package-0)')
    })
  })
})
