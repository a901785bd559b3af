/**
 * The LLM-shaped fixture (fixtures/llm): a 32-layer decoder-only transformer with GQA and a KV cache, weights as
 * external data. Its params and MACs are derived here from the architecture, in closed form, and the analyzer
 * must give exactly those figures — as numbers for given sizes, and as the same polynomial in the symbols
 * `batch`, `sequence`, `past_sequence` when they are left free.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LLM_32L, LLM_NODES_PER_LAYER, LLM_OTHER_NODES, writeLlmModel } from '../../fixtures/llm/index.js'
import { analyzeModel, type AnalysisReport } from '../../src/analysis/index.js'
import { dimProduct, dimSubstitute, dimSum, dimSymbols, symbolDim } from '../../src/analysis/dims.js'

const { layers: L, hidden: h, heads: H, kvHeads: Hkv, intermediate: f, vocab: V } = LLM_32L
/** head size d = h / H = 64 */
const d = h / H

/*
 * Learnable parameters (float32 weights, every tensor once):
 *   embedding                      V·h
 *   per layer  two RMSNorm scales  2·h
 *              Q, O projections    2·h·(H·d)           (H·d = h)
 *              K, V projections    2·h·(Hkv·d)
 *              gate, up, down      3·h·f
 *   final RMSNorm scale            h
 *   LM head (not tied)             h·V
 * = 2·V·h + h + L·(2h + 2h·H·d + 2h·Hkv·d + 3h·f)
 * = 65,536,000 + 2,048 + 32·(4,096 + 8,388,608 + 2,097,152 + 34,603,008) + 65,536,000 = 1,574,045,696.
 */
const PARAMS = 2 * V * h + h + L * (2 * h + 2 * h * H * d + 2 * h * Hkv * d + 3 * h * f)

/*
 * MACs of one forward pass over `sequence` new tokens with `past_sequence` cached ones (batch B, S, P):
 *   each token goes through every projection once: per token and layer h·H·d (Q) + 2·h·Hkv·d (K, V) + H·d·h (O)
 *   + 3·h·f (MLP), plus h·V for the LM head; the embedding Gather and the norms have no MACs. Per token:
 *     LINEAR = L·(2·h·H·d + 2·h·Hkv·d + 3·h·f) + h·V = 32·45,088,768 + 65,536,000 = 1,508,376,576
 *   attention (GroupQueryAttention, each query head over T = P + S positions): Q·Kᵀ and scores·V, d MACs per score,
 *   per layer 2·B·H·S·T·d, so over the layers
 *     ATTENTION·B·S·(P + S), ATTENTION = 2·L·H·d = 131,072
 *   MACs = LINEAR·B·S + ATTENTION·B·S·P + ATTENTION·B·S² — linear in S but for the attention terms, which grow with
 *   S·P (the cache read) and S² (the new tokens among themselves). Per generated token (B = S = 1) after P cached
 *   ones: LINEAR + ATTENTION·(P + 1).
 */
const LINEAR = L * (2 * h * H * d + 2 * h * Hkv * d + 3 * h * f) + h * V
const ATTENTION = 2 * L * H * d

function macsAt(b: number, s: number, p: number): number {
  return LINEAR * b * s + ATTENTION * b * s * (p + s)
}

const work = mkdtempSync(join(tmpdir(), 'modelgate-llm-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('LLM fixture: 32-layer decoder, GQA, KV cache, external data', () => {
  let path: string
  let report: AnalysisReport
  beforeAll(async () => {
    path = writeLlmModel(join(work, 'float'), LLM_32L)
    report = await analyzeModel(path)
  })

  it('has the closed-form figures written out in the comments', () => {
    expect(PARAMS).toBe(1_574_045_696)
    expect(LINEAR).toBe(1_508_376_576)
    expect(ATTENTION).toBe(131_072)
  })

  it('is analysed completely: every node counted, no unknown op', () => {
    expect(report.coverage).toMatchObject({ nodes: L * LLM_NODES_PER_LAYER + LLM_OTHER_NODES, countedNodes: 490, unknownOps: {}, complete: true })
  })

  it('counts the learnable parameters of the architecture, and their bytes in the external data file', () => {
    expect(report.params.learnable).toBe(PARAMS)
    expect(report.params.byDtype).toEqual({ float32: { count: PARAMS, bytes: 4 * PARAMS } })
    // every weight lives in the external file (the two int64 index scalars are inline)
    expect(report.externalDataBytes).toBe(4 * PARAMS)
  })

  it('gives MACs as the exact polynomial in batch, sequence and past_sequence', () => {
    const [B, S, P] = [symbolDim('batch'), symbolDim('sequence'), symbolDim('past_sequence')]
    const expected = dimSum([dimProduct([LINEAR, B, S]), dimProduct([ATTENTION, B, S, P]), dimProduct([ATTENTION, B, S, S])])
    expect(report.macs).toBe(expected)
    expect(dimSymbols(report.macs)).toEqual(['batch', 'past_sequence', 'sequence'])
    for (const [b, s, p] of [[1, 1, 0], [1, 1, 1023], [4, 17, 300], [2, 2048, 0]] as const) {
      expect(dimSubstitute(report.macs, { batch: b, sequence: s, past_sequence: p })).toBe(macsAt(b, s, p))
    }
  })

  it('gives the same MACs as numbers when the sizes are given (one token after 1,023 cached)', async () => {
    const decode = await analyzeModel(path, { dims: { batch: 1, sequence: 1, past_sequence: 1023 } })
    expect(decode.macs).toBe(LINEAR + ATTENTION * 1024)
    const prefill = await analyzeModel(path, { dims: { batch: 2, sequence: 512, past_sequence: 0 } })
    expect(prefill.macs).toBe(macsAt(2, 512, 0))
  })

  it('sizes the present KV cache to past_sequence + sequence positions', () => {
    const present = report.outputs.find((o) => o.name === 'present.0.key')
    expect(present?.dims).toEqual([symbolDim('batch'), Hkv, dimSum([symbolDim('past_sequence'), symbolDim('sequence')]), d])
  })
})

describe('LLM fixture, 4-bit variant (com.microsoft::MatMulNBits projections)', () => {
  it('has the params and MACs of the float model: a 4-bit weight is dequantized, then multiplied as a float one', async () => {
    const path = writeLlmModel(join(work, 'nbits'), { ...LLM_32L, weights: 'nbits' })
    const report = await analyzeModel(path, { dims: { batch: 3, sequence: 5, past_sequence: 100 } })
    expect(report.coverage).toMatchObject({ nodes: 490, unknownOps: {}, complete: true })
    expect(report.macs).toBe(macsAt(3, 5, 100))
    /*
     * The same learnable parameters as the float model (a 4-bit weight is one parameter): the projections' weights,
     * L·(2·h·H·d + 2·h·Hkv·d + 3·h·f) + h·V = 1,508,376,576 (as many as LINEAR MACs per token, one MAC per weight),
     * are 4-bit; the embedding and the 2·L + 1 norm scales stay float32: V·h + (2L + 1)·h = 65,669,120. Each block of
     * 32 weights has one float scale: 1,508,376,576 / 32 = 47,136,768 quantization elements.
     */
    const projections = L * (2 * h * H * d + 2 * h * Hkv * d + 3 * h * f) + h * V
    expect(report.params.learnable).toBe(PARAMS)
    expect(report.params.byDtype['uint4']?.count).toBe(projections)
    expect(report.params.byDtype['float32']?.count).toBe(V * h + (2 * L + 1) * h)
    expect(report.params.quantization?.elements).toBe(projections / 32)
  })
})
