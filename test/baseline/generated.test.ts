import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateBaselineTypes, GENERATED_PATH } from './gen-types.js'

describe('the baseline types', () => {
  it('are generated from the schema (run `npm run gen:types` after changing baseline.schema.json)', async () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(await generateBaselineTypes())
  })
})
