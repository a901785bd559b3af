import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SCENARIOS } from '../../fixtures/scenarios/index.js'
import { analyzeModel } from '../../src/index.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')

describe('each committed scenario model gives its hand-computed figures', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: ${s.figures.paramsArithmetic}; ${s.figures.macsArithmetic}`, async () => {
      const report = await analyzeModel(join(FIXTURES, s.name, 'model.onnx'))
      expect(report.params.learnable).toBe(s.figures.params)
      // the READMEs write products with a middle dot and separators (1,472·N); reports use the canonical 1472*N
      const expected = typeof s.figures.macs === 'string' ? s.figures.macs.replaceAll('·', '*').replaceAll(',', '') : s.figures.macs
      expect(report.macs).toEqual(expected)
    })
  }
})
