import { describe, expect, test } from 'vitest'
import { renderTerminal } from '../../src/report/index.js'
import { latency, report, result } from './sample-reports.js'

const sample = report([
  result({ model: 'models/resnet18.onnx', metric: 'params', baseline: 11_689_512, current: 11_712_040, verdict: 'regression' }),
  result({ model: 'models/resnet18.onnx', metric: 'macs', unit: 'MACs', baseline: 1.814e9 }),
  latency('models/resnet18.onnx', 12.1, 11.9),
  latency('models/big.onnx', 8, 8.9, { verdict: 'inconclusive', note: 'the interval [0.97, 1.24] straddles the threshold' }),
  result({ model: 'models/student.onnx', metric: 'accuracy', unit: 'ratio', direction: 'higher', baseline: 0.761, current: 0.772, tolerance: { absolute: 0.005 }, verdict: 'improvement' }),
])

describe('renderTerminal', () => {
  test('without colour it is a plain aligned table, one row per metric grouped by model', () => {
    expect(renderTerminal(sample, { color: false })).toMatchInlineSnapshot(`
      "modelgate · 1 regression · 1 inconclusive · 1 improvement · 2 unchanged

      model                 metric             baseline         current        Δ  limit    verdict
      ────────────────────  ───────────  ──────────────  ──────────────  ───────  ───────  ────────────
      models/big.onnx       latency p50            8 ms          8.9 ms  +11.3 %  +10 %    inconclusive
      models/resnet18.onnx  params       11.69 M params  11.71 M params  +0.19 %  exact    regression
                            MACs           1.814 G MACs    1.814 G MACs     ±0 %  exact    unchanged
                            latency p50         12.1 ms         11.9 ms  -1.65 %  +10 %    unchanged
      models/student.onnx   accuracy             76.1 %          77.2 %  +1.45 %  -0.5 pp  improvement

      • models/big.onnx latency p50: the interval [0.97, 1.24] straddles the threshold

      machine AMD EPYC 7763 ×2, linux-x64, node 20.20.2 · engine onnxruntime-node 1.30.0 (cpu, all) · threads intra-op 1, inter-op 1 · batch 1
      update the baselines: npx vitest run -u
      "
    `)
  })

  test('without colour there is no ANSI escape at all', () => {
    expect(renderTerminal(sample, { color: false })).not.toMatch(/\u001b\[/)
  })

  test('with colour the verdicts are painted and the text is otherwise the same', () => {
    const coloured = renderTerminal(sample, { color: true })
    expect(coloured).toContain('\u001b[31m')
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderTerminal(sample, { color: false }))
  })

  test('escape sequences hidden in a model name are neutralised', () => {
    const text = renderTerminal(report([result({ model: 'evil\u001b]8;;https://x\u0007.onnx' })]), { color: false })
    expect(text).not.toMatch(/[\u0000-\u001f\u007f](?<!\n)/)
    expect(text).toContain('evil?]8;;https://x?.onnx')
  })

  test('an empty report is one line', () => {
    expect(renderTerminal(report([]), { color: false })).toBe('modelgate · no metrics recorded\n')
  })
})
