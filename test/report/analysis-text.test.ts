import { describe, expect, it } from 'vitest'
import { ModelBuilder } from '../../fixtures/builder/index.js'
import { analyzeModel } from '../../src/analysis/index.js'
import { renderAnalysisSummary, renderNodeTable, shortenExpression } from '../../src/report/analysis-text.js'

describe('shortenExpression', () => {
  it('keeps an expression that fits, and cuts a long one at a term boundary saying how many terms are left out', () => {
    expect(shortenExpression('2048*batch*seq*seq + 4425728*batch*seq', 60)).toBe('2048*batch*seq*seq + 4425728*batch*seq')
    const long = Array.from({ length: 12 }, (_, i) => `${i + 1}*S${i}`).join(' + ')
    const short = shortenExpression(long, 70)
    expect(short.length).toBeLessThanOrEqual(70)
    // 12 terms: the ones kept, then the count of the others
    const kept = short.slice(0, short.indexOf(' …')).split(' + ').length
    expect(short).toBe(`${long.split(' + ').slice(0, kept).join(' + ')} … (+${12 - kept} more terms; full form in --json)`)
    expect(kept).toBeGreaterThan(0)
  })
})

describe('the analysis summary of a model with many symbols', () => {
  it('fits 120 columns: long figures are shortened (full form in the report), the byte columns leave the table', async () => {
    // 16 inputs [S_i, 64] float32 concatenated: 256·S_i bytes each, read once and written once
    const g = new ModelBuilder()
    const names = Array.from({ length: 16 }, (_, i) => g.input(`x${i}`, 'float32', [`S${i}`, 64]))
    g.node('Concat', names, ['y'], { axis: 0 }, { name: 'concat' })
    g.output('y', 'float32', undefined)
    const report = await analyzeModel(g.toBytes())
    const expected = Array.from({ length: 16 }, (_, i) => `512*S${i}`).sort().join(' + ')
    expect(report.memoryAccessBytes).toBe(expected)
    const text = `${renderAnalysisSummary(report, 'concat.onnx')}\n\n${renderNodeTable(report, 10)}`
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(120)
    expect(text).toMatch(/memory access {6}512\*S0 \+ 512\*S1 \+ .* … \(\+\d+ more terms; full form in --json\) B read \+ written/)
    expect(report.unresolved.map((u) => u.symbol)).toEqual(Array.from({ length: 16 }, (_, i) => `S${i}`).sort())
    expect(text).toContain('(read/written bytes left out to fit 120 columns: see --json)')
  })
})
