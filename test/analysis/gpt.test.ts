/**
 * The GPT-style decoder of issue 15 (fixtures/gpt): 4 layers, d = 256, 8 heads, vocab 5,000, symbolic batch and
 * seq, causal attention, tied head stored twice. Built in memory (23 MB of weights), analysed with no dims.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildGpt, GPT_CONFIG, gptFigures } from '../../fixtures/gpt/gpt.js'
import { analyzeModel, type AnalysisReport } from '../../src/analysis/index.js'
import { dimExtremum, dimSubstitute } from '../../src/analysis/dims.js'
import { runCli } from '../../src/cli/run.js'

let bytes: Uint8Array
let free: AnalysisReport
let dir: string

beforeAll(async () => {
  bytes = buildGpt().toBytes()
  free = await analyzeModel(bytes)
  dir = mkdtempSync(join(tmpdir(), 'modelgate-gpt-'))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** seq ≤ 256: the position embedding has 256 rows (a longer sequence is an out-of-range Gather). */
const POINTS = [
  { batch: 1, seq: 1 },
  { batch: 1, seq: 7 },
  { batch: 2, seq: 64 },
  { batch: 3, seq: 200 },
  { batch: 1, seq: 256 },
  { batch: 8, seq: 256 },
]

describe('a GPT-style decoder with symbolic batch and seq', () => {
  it('is a model onnxruntime runs: token ids [2, 5] → logits [2, 5, 5000], finite', async () => {
    const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 })
    const ids = new ort.Tensor('int64', BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 4999n, 0n, 7n, 8n, 9n]), [2, 5])
    const logits = (await session.run({ input_ids: ids })).logits!
    expect(logits.dims).toEqual([2, 5, 5000])
    expect((logits.data as Float32Array).every(Number.isFinite)).toBe(true)
    await session.release()
  })

  it('has MACs equal to the closed form layers·2d·batch·seq² + (layers·12d² + d·vocab)·batch·seq', () => {
    const f = gptFigures()
    // derived in fixtures/gpt/gpt.ts: 4·2·256 = 2048; 4·12·256² + 256·5000 = 4,425,728
    expect([f.macsSeqSquared, f.macsSeq]).toEqual([2048, 4_425_728])
    expect(free.macs).toBe(`${f.macsSeqSquared}*batch*seq*seq + ${f.macsSeq}*batch*seq`)
    // the figure issue 15 quotes for the torch export of the same architecture: an independent check
    expect(free.macs).toBe('2048*batch*seq*seq + 4425728*batch*seq')
    expect(free.coverage.complete).toBe(true)
  })

  it('stores the tied embedding twice: 5,785,088 learnable floats in the file, 4,505,088 as torch counts', () => {
    const f = gptFigures()
    // torch: wte 5000·256 + wpe 256·256 + 4·(12·256² + 13·256) + ln_f 2·256 = 1,280,000 + 65,536 + 3,159,040 + 512
    expect(f.torchParams).toBe(4_505_088)
    expect(free.params.learnable).toBe(f.storedLearnable)
    expect(free.params.learnable).toBe(4_505_088 + 5000 * 256)
  })

  it('with dedupeWeights counts the tied head once: learnable = the torch count, the transposed pair reported', async () => {
    const deduped = await analyzeModel(bytes, { dedupeWeights: true })
    expect(deduped.params.learnable).toBe(gptFigures().torchParams)
    expect(deduped.params.tied.elements).toBe(gptFigures().tiedElements)
    expect(deduped.params.tied.pairs).toEqual([expect.objectContaining({ relation: 'transposed', elements: 5000 * 256 })])
    expect(new Set([deduped.params.tied.pairs[0]!.kept, deduped.params.tied.pairs[0]!.merged])).toEqual(new Set(['transformer.wte.weight', 'lm_head.weight_T']))
  })

  it('lists exactly its symbols as unresolved, each with nodes that need it', () => {
    expect(free.unresolved.map((u) => u.symbol)).toEqual(['batch', 'seq'])
    for (const u of free.unresolved) expect(u.nodes.length).toBeGreaterThan(0)
  })

  it('prints a peak of at most 300 characters whose dominant candidate is the attention scores being scaled', () => {
    const peak = free.peakActivationBytes
    expect(typeof peak).toBe('string')
    expect(String(peak).length).toBeLessThanOrEqual(300)
    const extremum = dimExtremum(peak)!
    expect(extremum.candidates.length).toBeLessThanOrEqual(6)
    // at /attn/Mul_scale: Q·Kᵀ [batch, 8, seq, seq] float32 and its scaled copy (2 × 32·batch·seq² B), the residual
    // stream [batch, seq, 256] and the V heads [batch, 8, seq, 32] (2 × 1024·batch·seq B), the bool mask slice seq² B
    expect(extremum.dominant).toBe('64*batch*seq*seq + 2048*batch*seq + seq*seq')
    expect(free.footprintBytes).toBe(`${String(peak)} + ${free.params.weightsBytes}`)
  })

  it('gives, at several (batch, seq), the same peak, MACs and FLOPs as analysing with those dims', async () => {
    for (const at of POINTS) {
      const concrete = await analyzeModel(bytes, { dims: at })
      expect(concrete.unresolved).toEqual([])
      expect(concrete.peakActivationBytes, JSON.stringify(at)).toBe(dimSubstitute(free.peakActivationBytes, at))
      expect(concrete.footprintBytes).toBe(dimSubstitute(free.footprintBytes, at))
      expect(concrete.macs).toBe(2048 * at.batch * at.seq * at.seq + 4_425_728 * at.batch * at.seq)
      expect(concrete.flops).toBe(dimSubstitute(free.flops, at))
      expect(concrete.memoryAccessBytes).toBe(dimSubstitute(free.memoryAccessBytes, at))
    }
  })

  it('`modelgate analyze` with no dims prints a summary and table within 40 lines of 120 columns', async () => {
    const path = join(dir, 'gpt.onnx')
    buildGpt(GPT_CONFIG).writeTo(path)
    let stdout = ''
    const code = await runCli(['analyze', path], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir, env: {} })
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(40)
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(120)
    expect(stdout).toContain('MACs               2048*batch*seq*seq + 4425728*batch*seq\n')
    expect(stdout).toContain('the first dominates for seq ≥ 512')
    expect(stdout).toMatch(/unresolved {9}batch \(needed by .*\): pass --dim batch=<size> or --shape/)
    // the head (1.28 M MACs per token) is among the top nodes, after the seq² attention products
    expect(stdout).toContain('/lm_head/MatMul')
  })
})
