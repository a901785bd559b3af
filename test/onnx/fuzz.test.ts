import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fuzzModels } from './fuzz.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const models = readdirSync(FIXTURES)
  .map((d) => join(FIXTURES, d, 'model.onnx'))
  .filter((f) => existsSync(f) && !f.includes('external-data'))

describe('mutated model bytes', () => {
  it('give a report or a ModelgateError, never any other error (2,400 cases)', () => {
    expect(models.length).toBeGreaterThan(5)
    const result = fuzzModels(models, 2400)
    expect(result.defects).toEqual([])
    expect(result.cases).toBe(2400)
    // the mutations are not all harmless: most are refused, some still analyse
    expect(Object.values(result.codes).reduce((a, b) => a + b, 0)).toBeGreaterThan(500)
    expect(result.analysed).toBeGreaterThan(0)
  }, 300_000)
})
