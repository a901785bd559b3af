/**
 * The instances kept so that V8 keeps the code it optimized for the analyzer's classes (src/_hidden-classes.ts):
 * every class an analysis creates and drops has one, and an analysis builds them anew when it ends. What they are
 * for is measured by `npm run bench:analyze` (each timed analysis follows a forced gc()), not here.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { heldHiddenClasses, holdHiddenClasses } from '../../src/_hidden-classes.js'
import { analyzeModelSync } from '../../src/analysis/analyze.js'
import { buildBigGraph } from '../bench/big-graph.js'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

/** Classes declared in the modules an analysis runs (src/onnx, src/analysis and below), errors left out. */
function analysisClasses(): string[] {
  const names: string[] = []
  for (const folder of ['onnx', 'analysis']) {
    for (const file of readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue
      for (const m of readFileSync(join(SRC, folder, file), 'utf8').matchAll(/^(?:export )?class (\w+)\b(?! extends)/gm)) names.push(m[1]!)
    }
  }
  return names.sort()
}

describe('kept hidden classes', () => {
  it('keeps one instance of every class the analyzer declares, except errors', () => {
    analyzeModelSync(buildBigGraph(20))
    const kept = holdHiddenClasses().map((o) => o.constructor.name)
    const declared = analysisClasses()
    // the scan itself must see the analyzer's classes (a moved folder would make both lists empty)
    expect(declared).toEqual(expect.arrayContaining(['Engine', 'Scope', 'SimpleNodeDecoder', 'WireReader']))
    expect(declared).not.toContain('WireError')
    expect([...new Set(kept)].sort()).toEqual(declared)
  })

  it('builds new instances on each call, one per registered class', () => {
    const first = holdHiddenClasses()
    const second = holdHiddenClasses()
    expect(second.map((o) => o.constructor)).toEqual(first.map((o) => o.constructor))
    for (let i = 0; i < first.length; i++) expect(second[i]).not.toBe(first[i])
  })

  it('is called when an analysis ends, also when it failed after reading the model', () => {
    const before = heldHiddenClasses()
    analyzeModelSync(buildBigGraph(10))
    const after = heldHiddenClasses()
    expect(after.length).toBeGreaterThan(0)
    expect(after[0]).not.toBe(before[0])
    expect(() => analyzeModelSync(buildBigGraph(10), { shapes: { nope: [1] } })).toThrow(expect.objectContaining({ code: 'E_SHAPE_OPTION' }))
    expect(heldHiddenClasses()[0]).not.toBe(after[0])
  })
})
