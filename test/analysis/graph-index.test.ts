/**
 * The numbered values of a graph (src/analysis/graph-index.ts) and the array scope inference keeps them in
 * (src/analysis/scope.ts): what the ordering, liveness and report passes read instead of looking names up.
 */
import { describe, expect, it, vi } from 'vitest'
import { GraphBuilder, ModelBuilder } from '../../fixtures/builder/index.js'
import { analyzeModel } from '../../src/index.js'
import { indexGraph, NameTable, NO_VALUE } from '../../src/analysis/graph-index.js'
import { topologicalOrder } from '../../src/analysis/graph-order.js'
import { inferModel, type InferenceResult } from '../../src/analysis/infer.js'
import type { Dim } from '../../src/analysis/dims.js'
import { findOpRule } from '../../src/analysis/ops/index.js'
import { Scope } from '../../src/analysis/scope.js'
import { classifyTensors } from '../../src/analysis/params.js'
import { readOnnxModel } from '../../src/onnx/load.js'
import { dynamicConvMlp, nbitsBlock, qdqConvMlp, qoperatorConvMlp } from '../../fixtures/quantized/index.js'
import { CONTROL_FLOW_SCENARIOS } from '../../fixtures/scenarios/control-flow.js'
import type { OnnxGraph, OnnxNode } from '../../src/onnx/types.js'
import { bigGraphBuilder } from '../bench/big-graph.js'

const node = (opType: string, inputs: string[], outputs: string[]): OnnxNode => ({ name: '', opType, domain: '', inputs, outputs, attributes: new Map() })

const graph: OnnxGraph = {
  name: 'g',
  inputs: [{ name: 'x', type: undefined }],
  initializers: [{ name: 'w', dtype: 'float32', dims: [2], payload: { kind: 'none' } }],
  sparseInitializers: [],
  nodes: [
    node('Add', ['x', 'w'], ['a']),
    node('Split', ['a', ''], ['b', '', 'c']),
    node('Sum', ['b', 'c', 'b', 'outer'], ['y']),
  ],
  outputs: [{ name: 'y', type: undefined }, { name: 'declared_only', type: undefined }],
  valueInfo: [],
}

/** Infers the model a builder holds. */
function inferBuilt(b: ModelBuilder): InferenceResult {
  const loaded = readOnnxModel(b.toBytes())
  return inferModel(loaded.model, loaded.readPayload)
}

/** The dims of a tensor in an inference result, undefined for anything else. */
function dimsOf(tensors: InferenceResult['tensors'], name: string): readonly Dim[] | undefined {
  const type = tensors.get(name)
  return type?.kind === 'tensor' ? type.dims : undefined
}

describe('indexGraph', () => {
  const index = indexGraph(graph)
  const id = (name: string): number => index.ids.get(name)!
  const inputsOf = (i: number): number[] => [...index.inputIds.subarray(index.inputStart[i], index.inputStart[i + 1])]
  const outputsOf = (i: number): number[] => [...index.outputIds.subarray(index.outputStart[i], index.outputStart[i + 1])]

  it('numbers inputs and initializers first, then node names in file order, then graph outputs', () => {
    expect(index.names).toEqual(['x', 'w', 'a', 'b', 'c', 'outer', 'y', 'declared_only'])
    for (const [i, name] of index.names.entries()) expect(id(name)).toBe(i)
  })

  it('lists each node\'s inputs and outputs as ids, omitted ones as NO_VALUE, repeats kept', () => {
    expect(inputsOf(1)).toEqual([id('a'), NO_VALUE])
    expect(outputsOf(1)).toEqual([id('b'), NO_VALUE, id('c')])
    expect(inputsOf(2)).toEqual([id('b'), id('c'), id('b'), id('outer')])
  })

  it('knows the producer of every node output, and -1 for everything else', () => {
    expect([...index.producer]).toEqual([-1, -1, 0, 1, 1, -1, 2, -1])
  })

  it('numbers names in the order met and finds each again, past the size it was made for and when every name collides', () => {
    const words = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `n${i}` : i % 3 === 1 ? `/model/layers.${i}/MatMul_output_0` : `вес·${i}`))
    for (const [hash, degraded] of [[undefined, false], [(): number => 7, true], [(name: string): number => name.length, true]] as const) {
      const names: string[] = []
      // made for 10 names, given 3,000 (each twice): grown, or (every name in one slot) handed to a Map
      const table = new NameTable(10, names, hash)
      expect(words.map((w) => table.id(w))).toEqual(words.map((_, i) => i))
      expect(words.map((w) => table.id(w))).toEqual(words.map((_, i) => i))
      expect(table.count).toBe(words.length)
      expect(names).toEqual(words)
      expect(words.map((w) => table.get(w))).toEqual(words.map((_, i) => i))
      expect(table.get('n1')).toBeUndefined()
      expect(table.get('')).toBeUndefined()
      // a hash that spreads the names keeps the table (grown, never full); names made to collide get a Map
      expect(table.degraded).toBe(degraded)
    }
  })

  it('numbers more names than the graph defines when its nodes read names from outside (a subgraph\'s outer scope)', () => {
    const body: OnnxGraph = { ...graph, name: 'body', inputs: [], initializers: [], outputs: [], nodes: [node('Sum', ['p', 'q', 'r'], ['s']), node('Neg', ['p'], ['t'])] }
    const ix = indexGraph(body)
    expect(ix.names).toEqual(['p', 'q', 'r', 's', 't'])
    expect([...ix.producer]).toEqual([-1, -1, -1, 0, 1])
    expect([...ix.inputIds]).toEqual([0, 1, 2, 0])
  })
})

describe('Scope', () => {
  const outer = new Scope(indexGraph(graph))
  outer.set('x', { kind: 'tensor', dtype: 'float32', dims: [2] })
  outer.set('outer', { kind: 'tensor', dtype: 'int64', dims: [] })
  const inner = new Scope(indexGraph({ ...graph, name: 'body', initializers: [], inputs: [{ name: 'x', type: undefined }] }), outer)
  inner.set('x', { kind: 'tensor', dtype: 'float16', dims: [3] })

  it('reads its own values first, then the enclosing scopes\' by name', () => {
    expect(inner.get('x')).toEqual({ kind: 'tensor', dtype: 'float16', dims: [3] })
    const outerId = inner.index.ids.get('outer')!
    expect(inner.getId(outerId)).toEqual({ kind: 'tensor', dtype: 'int64', dims: [] })
    expect(inner.has('outer')).toBe(true)
    expect(inner.has('a')).toBe(false)
  })

  it('refuses to define a name the graph does not have', () => {
    expect(() => inner.set('nowhere', undefined)).toThrow(/not a value of this graph/)
  })

  it('shows its typed values as a read-only map in the order they were defined, untyped ones left out', () => {
    const s = new Scope(indexGraph(graph))
    s.set('y', { kind: 'tensor', dtype: 'float32', dims: [1] })
    s.set('a', undefined)
    s.set('x', { kind: 'tensor', dtype: 'float32', dims: [2] })
    const typed = s.typed()
    expect([...typed.keys()]).toEqual(['y', 'x'])
    expect(typed.size).toBe(2)
    expect(typed.has('a')).toBe(false)
    expect(typed.get('x')).toEqual({ kind: 'tensor', dtype: 'float32', dims: [2] })
    expect(new Map(typed)).toEqual(new Map([['y', { kind: 'tensor', dtype: 'float32', dims: [1] }], ['x', { kind: 'tensor', dtype: 'float32', dims: [2] }]]))
  })
})

describe('the report of a graph', () => {
  const g = new ModelBuilder({ opset: 17 })
  const x = g.input('x', 'float32', [1, 4])
  const w = g.initializer('w', 'float32', [4, 4])
  const h = g.op('MatMul', [x, w], undefined, { name: 'mm' })
  g.node('Relu', [h], ['y'], undefined, { name: 'relu' })
  g.output('y', 'float32', [1, 4])
  const bytes = g.toBytes()

  it('has its per-tensor table as an enumerable property, built once, and the same in JSON', async () => {
    const report = await analyzeModel(bytes)
    expect(Object.keys(report)).toContain('tensors')
    const table = report.tensors
    expect(report.tensors).toBe(table)
    expect(table).toEqual({ x: { dtype: 'float32', dims: [1, 4] }, w: { dtype: 'float32', dims: [4, 4] }, [h]: { dtype: 'float32', dims: [1, 4] }, y: { dtype: 'float32', dims: [1, 4] } })
    expect(Object.keys(table)).toEqual(['x', 'w', h, 'y'])
    expect(JSON.parse(JSON.stringify(report)).tensors).toEqual(table)
    expect({ ...report }.tensors).toEqual(table)
  })

  it('has its node rows as an enumerable property, built once, in place and the same in JSON', async () => {
    const report = await analyzeModel(bytes)
    // the same key order as a report built eagerly: the rows, then the tensor table, last
    expect(Object.keys(report).slice(-3)).toEqual(['controlFlow', 'nodes', 'tensors'])
    const rows = report.nodes
    expect(report.nodes).toBe(rows)
    expect(rows).toEqual([
      { name: 'mm', opType: 'MatMul', domain: '', counted: true, macs: 16, flops: 32, params: 16, bytesRead: 80, bytesWritten: 16, outputs: [{ name: h, dtype: 'float32', dims: [1, 4] }] },
      { name: 'relu', opType: 'Relu', domain: '', counted: true, macs: 0, flops: 4, params: 0, bytesRead: 16, bytesWritten: 16, outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }] },
    ])
    expect(JSON.parse(JSON.stringify(report)).nodes).toEqual(rows)
    expect({ ...report }.nodes).toBe(rows)
    // either table can be read first: the second still has what it needs
    const other = await analyzeModel(bytes)
    expect(other.tensors).toEqual(report.tensors)
    expect(other.nodes).toEqual(rows)
  })

  it('reads float constants for their value only when small enough to feed shape arithmetic', () => {
    const b = new ModelBuilder({ opset: 17 })
    const input = b.input('x', 'float32', [1, 3, 4, 4])
    const scales = b.initializer('scales', 'float32', [4], [1, 1, 2, 2])
    const weight = b.initializer('weight', 'float32', [17])
    const shape = b.initializer('shape', 'int64', [4096])
    b.node('Resize', [input, '', scales], ['y'], { mode: 'nearest' }, { name: 'resize' })
    b.node('Add', [weight, weight], ['z'], undefined, { name: 'add' })
    b.node('Identity', [shape], ['s'], undefined, { name: 'id' })
    b.output('y', 'float32', undefined)
    b.output('z', 'float32', undefined)
    b.output('s', 'int64', undefined)
    const result = inferBuilt(b)
    const tensor = (name: string) => {
      const t = result.tensors.get(name)
      return t?.kind === 'tensor' ? t : undefined
    }
    expect(tensor('scales')?.value).toEqual([1, 1, 2, 2])
    expect(tensor('y')?.dims).toEqual([1, 3, 8, 8])
    expect(tensor('weight')?.value).toBeUndefined()
    expect(tensor('z')?.dims).toEqual([17])
    expect(tensor('shape')?.value).toHaveLength(4096)
  })
})

describe('inferred types', () => {
  it('are kept once along a chain of element-wise ops, and never shared when they carry known values', () => {
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [2, 3])
    const shape = b.initializer('shape', 'int64', [2], [3, 2])
    const r1 = b.op('Relu', [x], undefined, { name: 'r1' })
    const r2 = b.op('Sigmoid', [r1], undefined, { name: 'r2' })
    const t = b.op('Transpose', [r2], undefined, { name: 't' })
    const r3 = b.op('Reshape', [r2, shape], undefined, { name: 'reshape' })
    const zero = b.initializer('zero', 'int64', [2], [0, 0])
    const c = b.op('Add', [shape, zero], undefined, { name: 'same_value' })
    const s = b.op('Cast', [r1], { to: 10 }, { name: 'half' })
    b.node('Add', [t, r3], ['y'], undefined, { name: 'add' })
    b.output('y', 'float32', undefined)
    b.output(c, 'int64', undefined)
    b.output(s, 'float16', undefined)
    const { tensors } = inferBuilt(b)
    // same dtype and dims as an input: the input's object
    expect(tensors.get(r1)).toBe(tensors.get('x'))
    expect(tensors.get(r2)).toBe(tensors.get('x'))
    expect(tensors.get('y')).toBe(tensors.get(t))
    // other dims, another dtype, or known elements: a type of its own
    expect(tensors.get(t)).not.toBe(tensors.get('x'))
    expect(tensors.get(t)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [3, 2] })
    expect(tensors.get(s)).toEqual({ kind: 'tensor', dtype: 'float16', dims: [2, 3] })
    expect(tensors.get(c)).not.toBe(tensors.get('shape'))
    expect(tensors.get(c)).toEqual({ kind: 'tensor', dtype: 'int64', dims: [2], value: [3, 2] })
  })

  it('are kept once per dtype and dims across the graph, and a symbol holding the key separator shares nothing', () => {
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [2, 3])
    const t1 = b.op('Transpose', [x], undefined, { name: 't1' })
    const back = b.op('Transpose', [t1], undefined, { name: 'back' })
    const t2 = b.op('Transpose', [back], undefined, { name: 't2' })
    // a dim whose name holds the key's separator next to dims named p and q: each keeps its own dims
    const one = b.input('one', 'float32', [1, 'p\u0001q'])
    const two = b.input('two', 'float32', [1, 'q', 'p'])
    const u1 = b.op('Transpose', [one], undefined, { name: 'u1' })
    const u2 = b.op('Transpose', [two], undefined, { name: 'u2' })
    for (const [name, dtype] of [[t2, 'float32'], [u1, 'float32'], [u2, 'float32']] as const) b.output(name, dtype, undefined)
    const { tensors } = inferBuilt(b)
    expect(tensors.get(t2)).toBe(tensors.get(t1))
    expect(tensors.get(back)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [2, 3] })
    // each the reverse of its own input's dims (the odd name prints wrapped, as "(p\u0001q)")
    expect(dimsOf(tensors, u1)).toEqual([...dimsOf(tensors, one)!].reverse())
    expect(dimsOf(tensors, u1)).toHaveLength(2)
    expect(dimsOf(tensors, u2)).toEqual(['p', 'q', 1])
  })
})

describe('node costs', () => {
  it('are kept once per pair of numeric MACs and FLOPs, in execution order', () => {
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [2, 3])
    const r1 = b.op('Relu', [x], undefined, { name: 'r1' })
    const r2 = b.op('Relu', [r1], undefined, { name: 'r2' })
    const s = b.op('Sigmoid', [r2], undefined, { name: 's' })
    b.node('Relu', [s], ['y'], undefined, { name: 'r3' })
    b.output('y', 'float32', undefined)
    const { executed } = inferBuilt(b)
    expect(executed.at).toEqual([0, 1, 2, 3])
    const [c1, c2, c3, c4] = executed.costs
    expect(c2).toBe(c1)
    expect(c4).toBe(c1)
    expect(c3).not.toBe(c1)
    expect([c1, c3]).toEqual([{ macs: 0, flops: 6 }, { macs: 0, flops: 24 }])
  })
})

describe('repeated nodes', () => {
  it('run their rule once: the layers of a network give the same types and costs as one object each', () => {
    const b = new ModelBuilder({ opset: 17 })
    let x = b.input('x', 'float32', [1, 4, 8, 8])
    for (let layer = 0; layer < 3; layer++) {
      const w = b.initializer(`w${layer}`, 'float32', [4, 4, 3, 3])
      const conv = b.op('Conv', [x, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: `conv${layer}` })
      x = b.op('Relu', [conv], undefined, { name: `relu${layer}` })
    }
    b.output(x, 'float32', undefined)
    const conv = findOpRule('', 'Conv')!
    const infer = vi.spyOn(conv, 'infer')
    try {
      const { executed, tensors } = inferBuilt(b)
      expect(infer).toHaveBeenCalledTimes(1)
      // the weights of every layer have one type object, so each layer's Conv reads what the first one read
      expect(tensors.get('w2')).toBe(tensors.get('w0'))
      expect(executed.costs[4]).toBe(executed.costs[0])
      expect(executed.costs[0]).toEqual({ macs: 4 * 8 * 8 * 4 * 9, flops: 2 * 4 * 8 * 8 * 4 * 9 })
      expect(tensors.get(x)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [1, 4, 8, 8] })
    } finally {
      infer.mockRestore()
    }
  })

  it('run their rule once per distinct node when a layer meets the same op many ways (a transformer\'s MatMuls)', () => {
    const b = new ModelBuilder({ opset: 17 })
    let x = b.input('x', 'float32', [1, 4, 16])
    // seven MatMuls a layer, each of other dims: 16 → 24 → 32 → … → 64 → 16
    const widths = [16, 24, 32, 40, 48, 56, 64, 16]
    for (let layer = 0; layer < 3; layer++) {
      for (let k = 0; k + 1 < widths.length; k++) {
        x = b.op('MatMul', [x, b.initializer(`w${layer}_${k}`, 'float32', [widths[k]!, widths[k + 1]!])], undefined, { name: `matmul${layer}_${k}` })
      }
    }
    b.output(x, 'float32', undefined)
    const infer = vi.spyOn(findOpRule('', 'MatMul')!, 'infer')
    try {
      const { tensors } = inferBuilt(b)
      expect(infer).toHaveBeenCalledTimes(widths.length - 1)
      expect(tensors.get(x)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [1, 4, 16] })
    } finally {
      infer.mockRestore()
    }
  })

  it('are told apart by their input values, the outputs they write and their attributes', () => {
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [2, 3])
    // the same dims but other values: other results
    const wide = b.op('Reshape', [x, b.initializer('wide', 'int64', [2], [1, 6])], undefined, { name: 'wide' })
    const tall = b.op('Reshape', [x, b.initializer('tall', 'int64', [2], [6, 1])], undefined, { name: 'tall' })
    // the same node writing its optional output or not
    b.node('Dropout', [x], ['plain'], undefined, { name: 'plain' })
    b.node('Dropout', [x], ['masked', 'mask'], undefined, { name: 'masked' })
    // the same op with other attributes
    const flipped = b.op('Transpose', [x], { perm: [1, 0] }, { name: 'flipped' })
    const kept = b.op('Transpose', [x], { perm: [0, 1] }, { name: 'kept' })
    for (const name of [wide, tall, 'plain', 'masked', flipped, kept]) b.output(name, 'float32', undefined)
    b.output('mask', 'bool', undefined)
    const { tensors } = inferBuilt(b)
    const dims = (name: string) => dimsOf(tensors, name)
    expect([dims(wide), dims(tall)]).toEqual([[1, 6], [6, 1]])
    expect([dims('plain'), dims('masked'), dims('mask')]).toEqual([[2, 3], [2, 3], [2, 3]])
    expect(tensors.get('mask')).toEqual({ kind: 'tensor', dtype: 'bool', dims: [2, 3] })
    expect([dims(flipped), dims(kept)]).toEqual([[3, 2], [2, 3]])
  })

  it('run their rule once for the same node reading other constants of the same dtype and dims, when it never reads their values', () => {
    // each layer's Conv bias and scale are small float constants, read for their values, and differ layer to layer
    const b = new ModelBuilder({ opset: 17 })
    let x = b.input('x', 'float32', [1, 4, 8, 8])
    for (let layer = 0; layer < 3; layer++) {
      const conv = b.op('Conv', [x, b.initializer(`w${layer}`, 'float32', [4, 4, 1, 1]), b.initializer(`bias${layer}`, 'float32', [4])], { kernel_shape: [1, 1] }, { name: `conv${layer}` })
      x = b.op('Mul', [conv, b.initializer(`scale${layer}`, 'float32', [4, 1, 1], [layer, 1, 2, 3])], undefined, { name: `mul${layer}` })
    }
    b.output(x, 'float32', undefined)
    const convInfer = vi.spyOn(findOpRule('', 'Conv')!, 'infer')
    const mulInfer = vi.spyOn(findOpRule('', 'Mul')!, 'infer')
    try {
      const { executed, tensors } = inferBuilt(b)
      expect(convInfer).toHaveBeenCalledTimes(1)
      expect(mulInfer).toHaveBeenCalledTimes(1)
      // the constants keep their own values; the outputs and costs are the first layer's objects
      expect(tensors.get('scale2')).toEqual({ kind: 'tensor', dtype: 'float32', dims: [4, 1, 1], value: [2, 1, 2, 3] })
      expect(tensors.get('scale1')).toMatchObject({ value: [1, 1, 2, 3] })
      expect(executed.costs[5]).toBe(executed.costs[1])
      expect(executed.costs[0]).toEqual({ macs: 4 * 8 * 8 * 4, flops: 2 * 4 * 8 * 8 * 4 + 4 * 8 * 8 })
      expect(tensors.get(x)).toEqual({ kind: 'tensor', dtype: 'float32', dims: [1, 4, 8, 8] })
    } finally {
      convInfer.mockRestore()
      mulInfer.mockRestore()
    }
  })

  it('are told apart by their float constants\' values when the rule reads them, folds them or passes them on', () => {
    // Resize scales: float constants of the same dtype and dims whose values give other output dims
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [1, 1, 4, 4])
    const wider = b.initializer('wider', 'float32', [4], [1, 1, 1, 2])
    const taller = b.initializer('taller', 'float32', [4], [1, 1, 2, 1])
    const ones = b.initializer('ones', 'float32', [4], [1, 1, 1, 1])
    const outputs: string[] = []
    for (const s of [wider, taller]) {
      // Identity passes the constant on without reading it; Mul folds it; SequenceConstruct holds it
      const passed = b.op('Identity', [s], undefined, { name: `identity_${s}` })
      const folded = b.op('Mul', [s, ones], undefined, { name: `mul_${s}` })
      const held = b.op('SequenceAt', [b.op('SequenceConstruct', [s], undefined, { name: `seq_${s}` }), b.initializer(`zero_${s}`, 'int64', [], [0])], undefined, { name: `at_${s}` })
      for (const scales of [s, passed, folded, held]) outputs.push(b.op('Resize', [x, '', scales], { mode: 'nearest' }, { name: `resize_${scales}` }))
    }
    for (const name of outputs) b.output(name, 'float32', undefined)
    const { tensors } = inferBuilt(b)
    expect(outputs.map((name) => dimsOf(tensors, name))).toEqual([...new Array(4).fill([1, 1, 4, 8]), ...new Array(4).fill([1, 1, 8, 4])])
  })

  it('are told apart by their float constants\' dims', () => {
    // constants of one dtype whose dims broadcast differently, in turn
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [4, 1])
    const outputs: string[] = []
    for (let k = 0; k < 2; k++) {
      for (const dims of [[4], [1], [1, 4]]) {
        const c = b.initializer(`c${k}_${dims.join('x')}`, 'float32', dims, new Array(dims.reduce((p, d) => p * d, 1)).fill(k + 1))
        outputs.push(b.op('Mul', [x, c], undefined, { name: `mul${k}_${dims.join('x')}` }))
      }
    }
    for (const name of outputs) b.output(name, 'float32', undefined)
    const { tensors } = inferBuilt(b)
    expect(outputs.map((name) => dimsOf(tensors, name))).toEqual([[4, 4], [4, 1], [4, 4], [4, 4], [4, 1], [4, 4]])
  })

  it('read a small float initializer\'s elements only when a rule runs on it: once for a network\'s repeated layers', () => {
    // 20 blocks, each with a bias [8] and a scale [8, 1, 1]: 40 float initializers small enough to be read for values
    const loaded = readOnnxModel(bigGraphBuilder(200).toBytes())
    let floatReads = 0
    const result = inferModel(loaded.model, (payload) => {
      const bytes = loaded.readPayload(payload)
      if (bytes !== undefined && bytes.length === 32) floatReads++
      return bytes
    })
    // the first blocks' Conv and Mul rules read theirs (block 0's Conv reads the graph input, block 1's a Relu's
    // output); every other block takes their results
    expect(floatReads).toBeGreaterThan(0)
    expect(floatReads).toBeLessThanOrEqual(4)
    const readInInference = floatReads
    expect(dimsOf(result.tensors, 'y')).toEqual([1, 8, 16, 16])
    // what a caller sees of such a constant is its elements, read when asked for
    const scale = result.tensors.get('block7.scale')
    expect(scale).toMatchObject({ kind: 'tensor', dtype: 'float32', dims: [8, 1, 1] })
    expect((scale as { value?: number[] }).value).toHaveLength(8)
    expect(floatReads).toBe(readInInference + 1)
    expect([...result.tensors.entries()].find(([name]) => name === 'block7.scale')![1]).toBe(scale)
  })

  it('never take a result computed for a value without elements when a constant not read yet stands in its place', () => {
    // the first Resize's scales are a graph input (no elements); the second's an initializer of the same dtype and dims
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [1, 1, 4, 4])
    const unknown = b.input('s', 'float32', [4])
    const known = b.initializer('known', 'float32', [4], [1, 1, 2, 2])
    const first = b.op('Resize', [x, '', unknown], { mode: 'nearest' }, { name: 'resize_unknown' })
    const second = b.op('Resize', [x, '', known], { mode: 'nearest' }, { name: 'resize_known' })
    // and the other way round: a result that read the constant's elements is not one for a value without them
    const third = b.op('Resize', [x, '', unknown], { mode: 'nearest' }, { name: 'resize_unknown_again' })
    // a rule that keeps its result (Mul, folding constants): first on two values without elements, then on two
    // constants not read yet, whose types stand for them
    const other = b.input('t', 'float32', [4])
    const ones = b.initializer('ones', 'float32', [4], [1, 1, 1, 1])
    b.output(b.op('Mul', [unknown, other], undefined, { name: 'mul_unknown' }), 'float32', undefined)
    const folded = b.op('Resize', [x, '', b.op('Mul', [known, ones], undefined, { name: 'mul_known' })], { mode: 'nearest' }, { name: 'resize_folded' })
    for (const name of [first, second, third, folded]) b.output(name, 'float32', undefined)
    const { tensors } = inferBuilt(b)
    expect(dimsOf(tensors, folded)).toEqual([1, 1, 8, 8])
    expect(dimsOf(tensors, second)).toEqual([1, 1, 8, 8])
    expect(dimsOf(tensors, first)).not.toEqual([1, 1, 8, 8])
    expect(dimsOf(tensors, third)).not.toEqual([1, 1, 8, 8])
    expect(dimsOf(tensors, third)).toHaveLength(4)
  })

  it('read an outer small float initializer\'s elements inside a subgraph', () => {
    const b = new ModelBuilder({ opset: 17 })
    b.input('x', 'float32', [1, 1, 4, 4])
    b.input('cond', 'bool', [])
    const scales = b.initializer('scales', 'float32', [4], [1, 1, 2, 3])
    const thenG = new GraphBuilder('then_branch', 'then/')
    thenG.node('Resize', ['x', '', scales], ['then_y'], { mode: 'nearest' })
    thenG.output('then_y', 'float32', undefined)
    const elseG = new GraphBuilder('else_branch', 'else/')
    elseG.node('Resize', ['x', '', scales], ['else_y'], { mode: 'nearest' })
    elseG.output('else_y', 'float32', undefined)
    b.node('If', ['cond'], ['y'], { then_branch: thenG, else_branch: elseG }, { name: 'if' })
    b.output('y', 'float32', undefined)
    expect(dimsOf(inferBuilt(b).tensors, 'y')).toEqual([1, 1, 8, 12])
  })

  it('are never given the result of a rule that named a symbol after its node', () => {
    const b = new ModelBuilder({ opset: 17 })
    const x = b.input('x', 'float32', [2, 3])
    const first = b.op('NonZero', [x], undefined, { name: 'first' })
    const second = b.op('NonZero', [x], undefined, { name: 'second' })
    b.output(first, 'int64', undefined)
    b.output(second, 'int64', undefined)
    const { tensors } = inferBuilt(b)
    expect(tensors.get(first)).toEqual({ kind: 'tensor', dtype: 'int64', dims: [2, 'first.count'] })
    expect(tensors.get(second)).toEqual({ kind: 'tensor', dtype: 'int64', dims: [2, 'second.count'] })
  })
})

describe('classifyTensors', () => {
  const models: [string, Uint8Array][] = [
    ['QDQ per-channel int8', qdqConvMlp({ dtype: 'int8', perChannel: true })],
    ['QOperator', qoperatorConvMlp()],
    ['dynamic quantization', dynamicConvMlp()],
    ['MatMulNBits with zero points and g_idx', nbitsBlock({ bits: 4, zeroPoints: true, gIdx: true })],
    // If branches, a Loop body, a local function (unknown-op stores no tensor)
    ...CONTROL_FLOW_SCENARIOS.filter((s) => s.name !== 'unknown-op').map((s): [string, Uint8Array] => [s.name, s.build().toBytes()]),
  ]
  it.each(models)('classifies %s the same whether the main graph\'s reads are matched by id or by name', (_, bytes) => {
    const { graph } = readOnnxModel(bytes).model
    const byName = classifyTensors(graph)
    const index = indexGraph(graph)
    const byId = classifyTensors(graph, index)
    // the same classes, counts and readers; each with its name's id in the main graph, or -1
    expect(byId.map((c) => ({ ...c, id: -1 }))).toEqual(byName)
    expect(byId.map((c) => c.id)).toEqual(byId.map((c) => index.ids.get(c.tensor.name) ?? -1))
    expect(byName.every((c) => c.id === -1)).toBe(true)
    expect(byId.length).toBeGreaterThan(0)
  })
})

describe('topologicalOrder', () => {
  const g = (nodes: OnnxNode[]): OnnxGraph => ({ name: 'g', inputs: [{ name: 'x', type: undefined }], initializers: [], sparseInitializers: [], nodes, outputs: [], valueInfo: [] })
  const available = (name: string): boolean => name === 'x'

  it('keeps a graph listed in topological order as it is', () => {
    const graph = g([node('A', ['x'], ['a']), node('B', ['a', 'x'], ['b']), node('C', ['a', 'b'], ['c'])])
    expect(topologicalOrder(graph, available, 'g')).toEqual([0, 1, 2])
  })

  it('puts producers first in a graph listed out of order, and otherwise keeps the file\'s order', () => {
    // c reads b, which comes later; d depends on nothing but x
    const graph = g([node('C', ['b'], ['c']), node('D', ['x'], ['d']), node('B', ['a'], ['b']), node('A', ['x'], ['a'])])
    expect(topologicalOrder(graph, available, 'g')).toEqual([1, 3, 2, 0])
  })

  it('refuses a cycle, a node reading its own output and a name defined nowhere, in or out of order', () => {
    const cycle = g([node('P', ['q'], ['p']), node('Q', ['p'], ['q'])])
    expect(() => topologicalOrder(cycle, available, 'g')).toThrow(expect.objectContaining({ code: 'E_GRAPH_CYCLE' }))
    const self = g([node('S', ['s'], ['s'])])
    expect(() => topologicalOrder(self, available, 'g')).toThrow(expect.objectContaining({ code: 'E_GRAPH_CYCLE', value: 's' }))
    const ghostInOrder = g([node('A', ['x'], ['a']), node('B', ['ghost'], ['b'])])
    expect(() => topologicalOrder(ghostInOrder, available, 'g')).toThrow(expect.objectContaining({ code: 'E_DANGLING_INPUT', value: 'ghost' }))
    const ghostOutOfOrder = g([node('C', ['b'], ['c']), node('B', ['ghost'], ['b'])])
    expect(() => topologicalOrder(ghostOutOfOrder, available, 'g')).toThrow(expect.objectContaining({ code: 'E_DANGLING_INPUT', value: 'ghost' }))
  })
})
