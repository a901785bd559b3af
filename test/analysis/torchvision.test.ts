import { describe, expect, it } from 'vitest'
import { ensureTorchvisionModel, type TorchvisionModel } from '../../fixtures/torchvision/index.js'
import { dimSubstitute } from '../../src/analysis/dims.js'
import { analyzeModel } from '../../src/index.js'

/**
 * torchvision's published model metadata (`num_params`, and `_ops` — labelled GFLOPS, computed as
 * multiply-accumulates of conv/linear/matmul — at 1×3×224×224). Source: torchvision's model files
 * (`_meta`), as listed in the issue; nobody on this team computed them.
 */
const PUBLISHED: readonly [TorchvisionModel, number, number][] = [
  ['resnet18', 11_689_512, 1.814],
  ['resnet50', 25_557_032, 4.089],
  ['mobilenet_v2', 3_504_872, 0.301],
  ['mobilenet_v3_small', 2_542_856, 0.057],
  ['efficientnet_b0', 5_288_548, 0.386],
  ['squeezenet1_1', 1_235_496, 0.349],
  ['shufflenet_v2_x1_0', 2_278_604, 0.145],
  ['vit_b_16', 86_567_656, 17.564],
]

describe("torchvision's architectures, built in code, match the published figures", () => {
  for (const [name, params, gmacs] of PUBLISHED) {
    it(`${name}: ${params.toLocaleString('en-US')} learnable params and ${gmacs} G MACs at 224×224, every node counted`, async () => {
      const report = await analyzeModel(await ensureTorchvisionModel(name, { batch: 1 }))
      expect(report.params.learnable).toBe(params)
      expect(typeof report.macs).toBe('number')
      expect(Math.round((report.macs as number) / 1e6) / 1e3).toBe(gmacs)
      expect(report.coverage).toMatchObject({ complete: true, unknownOps: {} })
      // FLOPs are 2 × MACs plus element-wise work, never less
      expect(report.flops as number).toBeGreaterThan(2 * (report.macs as number))
    })
  }

  it('resnet18 with a symbolic batch N costs exactly N × the batch-1 figures, and exactly 8× at N = 8', async () => {
    const one = await analyzeModel(await ensureTorchvisionModel('resnet18', { batch: 1 }))
    const symbolic = await ensureTorchvisionModel('resnet18', { batch: 'N' })
    const free = await analyzeModel(symbolic)
    expect(free.macs).toBe(`${one.macs as number}*N`)
    expect(free.unresolved.map((u) => u.symbol)).toEqual(['N'])
    const eight = await analyzeModel(symbolic, { dims: { N: 8 } })
    expect(eight.macs).toBe(8 * (one.macs as number))
    // FLOPs are not all per-sample: BatchNorm's per-channel sqrt(var + ε) is computed once, whatever the batch
    expect(eight.flops).toBe(dimSubstitute(free.flops, { N: 8 }))
    expect(one.flops).toBe(dimSubstitute(free.flops, { N: 1 }))
    expect(eight.params.learnable).toBe(one.params.learnable)
    expect(eight.unresolved).toEqual([])
  })
})
