import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ModelBuilder } from '../../fixtures/builder/index.js'
import { TIED_HEAD, tiedHeadModel } from '../../fixtures/tied/index.js'
import { analyzeModel, loadModel } from '../../src/index.js'

// Figures derived in fixtures/tied/index.ts: torch counts 1,328 parameters (embedding once); the file stores 2,128.
describe('tied weights (--dedupe-weights)', () => {
  it('without the option nothing is read: the copy is counted, and the candidates a check would compare are reported', async () => {
    const r = await analyzeModel(tiedHeadModel('transposed'))
    expect(r.params.learnable).toBe(TIED_HEAD.storedParams)
    // embed [50,16] ~ head [16,50] (transposed shapes), fc [16,16] ~ mix [16,16]
    expect(r.params.tied).toEqual({ checked: false, candidates: 4, unread: 0, pairs: [], elements: 0 })
  })

  it('a head stored as the embedding\'s transpose is counted once: learnable = the torch-style count', async () => {
    const r = await analyzeModel(tiedHeadModel('transposed'), { dedupeWeights: true })
    expect(r.params.learnable).toBe(TIED_HEAD.torchParams)
    expect(r.params.tied).toEqual({
      checked: true,
      candidates: 4,
      unread: 0,
      pairs: [{ kept: 'embed.weight', merged: 'head.weight', relation: 'transposed', embedding: true, elements: TIED_HEAD.embedding }],
      elements: TIED_HEAD.embedding,
    })
    expect(r.params.byDtype).toEqual({ float32: { count: TIED_HEAD.torchParams, bytes: TIED_HEAD.torchParams * 4 } })
    // the head's node no longer claims the merged copy's parameters; the file still holds both copies
    expect(r.nodes.reduce((n, node) => n + node.params, 0)).toBe(TIED_HEAD.torchParams)
    expect(r.params.weightsBytes).toBe(TIED_HEAD.storedParams * 4)
  })

  it('a byte-identical copy (Gemm transB = 1) is counted once too', async () => {
    const r = await analyzeModel(tiedHeadModel('identical'), { dedupeWeights: true })
    expect(r.params.learnable).toBe(TIED_HEAD.torchParams)
    expect(r.params.tied.pairs).toEqual([{ kept: 'embed.weight', merged: 'head.weight', relation: 'identical', embedding: true, elements: 800 }])
  })

  it('reads payloads left in the file (a path, not bytes), from analyzeModel and loadModel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-tied-'))
    try {
      const path = join(dir, 'model.onnx')
      writeFileSync(path, tiedHeadModel('transposed'))
      const r = await analyzeModel(path, { dedupeWeights: true })
      expect(r.params.learnable).toBe(TIED_HEAD.torchParams)
      // the same option on a handle, as a gate test passes it
      expect((await loadModel(path, { dedupeWeights: true })).analysis().params.learnable).toBe(TIED_HEAD.torchParams)
      expect((await loadModel(path)).analysis().params.learnable).toBe(TIED_HEAD.storedParams)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('compares tensors of one dtype and the same dims (or, 2-D, transposed dims), in whatever order they come', async () => {
    const g = new ModelBuilder()
    const x = g.input('x', 'float32', [1, 4])
    const y = g.input('y', 'float16', [1, 4])
    const a = g.op('MatMul', [x, g.initializer('a', 'float32', [4, 4])])
    // b right after a, with a's dims in another dtype: not a's twin
    g.node('MatMul', [y, g.initializer('b', 'float16', [4, 4], new Uint8Array(32).fill(60))], ['b_out'])
    const c = g.op('MatMul', [a, g.initializer('c', 'float32', [4, 4])])
    const d = g.op('MatMul', [c, g.initializer('d', 'float32', [4, 6])])
    const e = g.op('MatMul', [d, g.initializer('e', 'float32', [6, 4])])
    // 3-D dims reversed are not a transpose
    g.node('Mul', [g.op('Reshape', [e, g.initializer('shape', 'int64', [3], [1, 2, 2])]), g.initializer('f', 'float32', [2, 2, 1])], ['f_out'])
    g.node('Mul', ['f_out', g.initializer('h', 'float32', [1, 2, 2])], ['h_out'])
    g.output('b_out', 'float16', [1, 4])
    g.output('h_out', 'float32', [1, 2, 2])
    const r = await analyzeModel(g.toBytes())
    // a ~ c (float32 [4,4]), d ~ e ([4,6] and [6,4]); b, f and h alone
    expect(r.params.tied.candidates).toBe(4)
  })

  for (const [dtype, size] of [['float16', 2], ['float64', 8]] as const) {
    it(`transposes ${size}-byte elements too (${dtype} embedding and head)`, async () => {
      // table [6,4] with element (i, j) = the byte pattern i·4 + j + 1 in every byte; head [4,6] its transpose
      const element = (i: number, j: number): number[] => new Array<number>(size).fill(i * 4 + j + 1)
      const table: number[] = []
      const head: number[] = []
      for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) table.push(...element(i, j))
      for (let j = 0; j < 4; j++) for (let i = 0; i < 6; i++) head.push(...element(i, j))
      const g = new ModelBuilder()
      g.input('ids', 'int64', [1, 2])
      const h = g.op('Gather', [g.initializer('embed', dtype, [6, 4], new Uint8Array(table)), 'ids'])
      g.node('MatMul', [h, g.initializer('head', dtype, [4, 6], new Uint8Array(head))], ['logits'])
      g.output('logits', dtype, [1, 2, 6])
      const r = await analyzeModel(g.toBytes(), { dedupeWeights: true })
      // 24 + 24 stored, 24 counted
      expect(r.params.learnable).toBe(24)
      expect(r.params.tied.pairs).toEqual([{ kept: 'embed', merged: 'head', relation: 'transposed', embedding: true, elements: 24 }])
    })
  }

  it('a copy read through a Transpose node is still the tied-embedding pattern', async () => {
    // embed [3,2] for Gather; head [3,2] identical, read as MatMul(h, Transpose(head)): 6 + 6 stored, 6 counted
    const values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    const g = new ModelBuilder()
    g.input('ids', 'int64', [1, 2])
    const h = g.op('Gather', [g.initializer('embed', 'float32', [3, 2], values), 'ids'])
    g.node('MatMul', [h, g.op('Transpose', [g.initializer('head', 'float32', [3, 2], values)], { perm: [1, 0] })], ['logits'])
    g.output('logits', 'float32', [1, 2, 3])
    const r = await analyzeModel(g.toBytes(), { dedupeWeights: true })
    expect(r.params.learnable).toBe(6)
    expect(r.params.tied.pairs).toEqual([{ kept: 'embed', merged: 'head', relation: 'identical', embedding: true, elements: 6 }])
  })

  it('MACs and the other figures do not depend on the option', async () => {
    const a = await analyzeModel(tiedHeadModel('transposed'))
    const b = await analyzeModel(tiedHeadModel('transposed'), { dedupeWeights: true })
    expect(b.macs).toBe(a.macs)
    expect(b.peakActivationBytes).toBe(a.peakActivationBytes)
  })

  it('rejects a non-boolean option', async () => {
    await expect(analyzeModel(tiedHeadModel('transposed'), { dedupeWeights: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'E_INPUT' })
  })
})
