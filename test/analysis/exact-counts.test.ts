/**
 * Issue 13 item 2: counts past 2^53 stay exact — in the report, its JSON, the terminal summary, the budget
 * matchers and the baseline comparison.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ModelBuilder } from '../../fixtures/builder/index.js'
import { analyzeModel } from '../../src/analysis/index.js'
import { compareFigure } from '../../src/baseline/index.js'
import { runCli } from '../../src/cli/run.js'
import { STATIC_MATCHERS } from '../../src/matchers/index.js'
import { fakeTask, matcherState, type Outcome } from '../matchers/state.js'
import { hugeLoop } from './huge-models.js'

/** C = A·B with A, B, C [n, n] declared in the file (no weights). */
function squareMatMul(n: number): ModelBuilder {
  const g = new ModelBuilder()
  g.input('a', 'float32', [n, n])
  g.input('b', 'float32', [n, n])
  g.node('MatMul', ['a', 'b'], ['c'], undefined, { name: 'matmul' })
  g.output('c', 'float32', [n, n])
  return g
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'modelgate-exact-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('counts past 2^53', () => {
  it('a Loop of 2^62 trips around a 64×64 MatMul: MACs 2^62 · 64³ = 2^80, exact, as a decimal string', async () => {
    const report = await analyzeModel(hugeLoop().toBytes())
    // 2^62 · 2^18 = 2^80 = 1,208,925,819,614,629,174,706,176; FLOPs = 2 · MACs (a MatMul adds nothing else)
    expect(report.macs).toBe('1208925819614629174706176')
    expect(report.flops).toBe('2417851639229258349412352')
    expect(report.unresolved).toEqual([])
    const json = JSON.parse(JSON.stringify(report)) as { macs: unknown; flops: unknown; peakActivationBytes: unknown }
    expect(json.macs).toBe('1208925819614629174706176')
    // small counts stay JSON numbers: x and y [64, 64] float32 alive at once = 2 · 16,384 B
    expect(json.peakActivationBytes).toBe(32_768)
  })

  it('a [2^40, 2^40] MatMul: MACs 2^120, memory 3 · 2^80 · 4 B, all exact', async () => {
    const report = await analyzeModel(squareMatMul(2 ** 40).toBytes())
    expect(report.macs).toBe((2n ** 120n).toString())
    expect(report.macs).toBe('1329227995784915872903807060280344576')
    expect(report.flops).toBe((2n ** 121n).toString())
    // A and B read, C written, 2^80 float32 elements each
    expect(report.memoryAccessBytes).toBe((3n * 2n ** 80n * 4n).toString())
    expect(report.peakActivationBytes).toBe((3n * 2n ** 80n * 4n).toString())
    expect(report.nodes[0]!.macs).toBe((2n ** 120n).toString())
  })

  it('the terminal summary rounds them like any count and prints every digit beside', async () => {
    const path = join(dir, 'loop.onnx')
    hugeLoop().writeTo(path)
    let stdout = ''
    const code = await runCli(['analyze', path], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir, env: {} })
    expect(code).toBe(0)
    expect(stdout).toContain('MACs               1.209 Y (1,208,925,819,614,629,174,706,176)')
  })

  it('a budget matcher decides on the exact count, not on its rounded double', () => {
    // (2^40 + 1)^3 = 2^120 + 3·2^80 + 3·2^40 + 1; the nearest double drops 3·2^40 + 1 (doubles are 2^68 apart there)
    const n = 2 ** 40 + 1
    const exact = BigInt(n) ** 3n
    const rounded = Number(exact)
    expect(BigInt(rounded) < exact).toBe(true)
    const path = join(dir, 'cube.onnx')
    squareMatMul(n).writeTo(path)
    const fn = STATIC_MATCHERS.toHaveMacsBelow as (this: unknown, received: unknown, limit: number) => Outcome
    expect(fn.call(matcherState({ isNot: false, task: fakeTask() }), path, rounded).pass).toBe(false)
    expect(fn.call(matcherState({ isNot: false, task: fakeTask() }), path, rounded * 2).pass).toBe(true)
  })

  it('a baseline comparison of exact counts sees a change of 1 at 2^80', () => {
    const base = { value: '1208925819614629174706176', unit: 'MACs', direction: 'lower' as const, tolerance: { relative: 0 } }
    const figure = (value: string) => ({ value, unit: 'MACs', direction: 'lower' as const })
    const options = { kind: 'exact' as const, tolerance: { relative: 0 } }
    expect(compareFigure('macs', base, figure('1208925819614629174706177'), options).verdict).toBe('regression')
    expect(compareFigure('macs', base, figure('1208925819614629174706175'), options).verdict).toBe('improvement')
    expect(compareFigure('macs', base, figure('1208925819614629174706176'), options)).toEqual({ verdict: 'pass', deltaPct: 0 })
    // a number baseline against a decimal-string figure compares exactly too
    expect(compareFigure('macs', { ...base, value: 2 ** 60 }, figure((2n ** 60n + 1n).toString()), options).verdict).toBe('regression')
  })
})
