import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { registeredOps } from '../../src/analysis/index.js'
import { regenerateReadme } from './readme-tables.js'

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8')

describe('the README', () => {
  it('has the current cost table and error codes (run `npm run gen:readme` after changing either)', () => {
    expect(regenerateReadme(readme)).toBe(readme)
  })

  it('lists a cost formula for every registered op', () => {
    for (const op of registeredOps()) expect(readme).toContain(`| \`${op}\` |`)
  })

  it('starts with the two Quick start commands', () => {
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toContain('npm test')
  })
})
