/**
 * The wire scanner (src/onnx/wire.ts) reads a node's bytes in one tight loop when they lie in its buffer, and with
 * its generic scan otherwise: both must keep the same structure and skip the same payloads, whatever the node's
 * attributes hold (two-byte keys of sparse tensors and type protos included).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { onnx } from '../../fixtures/builder/index.js'
import { fileSource, memorySource } from '../../src/onnx/source.js'
import { scanModel } from '../../src/onnx/wire.js'

const T = onnx.AttributeProto.AttributeType
type TensorProto = Parameters<typeof onnx.TensorProto.encode>[0]
type NodeProto = Parameters<typeof onnx.NodeProto.encode>[0]
const floats = (n: number): TensorProto => ({ dims: [n], dataType: 1, rawData: new Uint8Array(4 * n).fill(7) })

/** A model whose nodes are plain (int attributes) and hold payloads in every kind of attribute, many times over. */
function model(): Uint8Array {
  const nodes: NodeProto[] = []
  for (let i = 0; i < 300; i++) {
    nodes.push({ opType: 'Relu', input: [`v${i}`], output: [`r${i}`], name: `relu${i}`, attribute: [{ name: 'k', i, type: T.INT }, { name: 'p', ints: [1, 2, i], type: T.INTS }] })
    nodes.push({ opType: 'Constant', output: [`c${i}`], attribute: [{ name: 'value', t: floats(64 + i), type: T.TENSOR }] })
    nodes.push({ opType: 'Constant', output: [`s${i}`], attribute: [{ name: 'sparse_value', sparseTensor: { dims: [1000], values: floats(16), indices: { dims: [16], dataType: 7, rawData: new Uint8Array(128) } }, type: T.SPARSE_TENSOR }] })
    nodes.push({ opType: 'X', output: [`t${i}`], attribute: [{ name: 'tp', tp: { tensorType: { elemType: 1 } }, type: T.TYPE_PROTO }, { name: 'many', tensors: [floats(8)], type: T.TENSORS }] })
  }
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', node: nodes } }).finish()
}

const dir = mkdtempSync(join(tmpdir(), 'modelgate-wire-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('scanModel', () => {
  const bytes = model()
  const inMemory = scanModel(memorySource(bytes))

  it('skips the payload of every tensor a node attribute holds, and only those', () => {
    // per block of four nodes: the Constant tensor, the sparse values and indices, the tensor in a list
    expect(inMemory.payloads).toHaveLength(300 * 4)
    expect(inMemory.structure.length).toBeLessThan(bytes.length / 4)
    const decoded = onnx.ModelProto.decode(inMemory.structure)
    expect(decoded.graph?.node).toHaveLength(1200)
    expect(decoded.graph?.node?.[0]).toEqual(onnx.ModelProto.decode(bytes).graph?.node?.[0])
  })

  it('keeps the same structure and payload table when nodes straddle the file reader\'s buffer (the generic path)', () => {
    const path = join(dir, 'model.onnx')
    writeFileSync(path, bytes)
    const source = fileSource(path)
    try {
      const fromFile = scanModel(source)
      expect(fromFile.payloads).toEqual(inMemory.payloads)
      expect(Buffer.from(fromFile.structure).equals(Buffer.from(inMemory.structure))).toBe(true)
    } finally {
      source.close()
    }
  })
})

describe('fileSource', () => {
  it('gives the file\'s bytes for runs of small reads that go on through the file (its fill growing), after jumps and big reads', () => {
    const bytes = new Uint8Array(3_000_000)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24
    const path = join(dir, 'bytes.bin')
    writeFileSync(path, bytes)
    const source = fileSource(path)
    try {
      const reads: [number, number][] = []
      // small reads a few hundred bytes apart (the fill doubles up to 256 KB), a jump back, a big read, a jump on
      for (let pos = 10; pos < 1_500_000; pos += 300 + (pos % 7)) reads.push([pos, 40])
      reads.push([5, 3], [1_600_000, 300_000], [2_999_000, 1000], [2_000_000, 16])
      for (const [pos, len] of reads) expect([...source.copy(pos, len)]).toEqual([...bytes.subarray(pos, pos + len)])
      expect(() => source.read(2_999_999, 2)).toThrow(RangeError)
    } finally {
      source.close()
    }
  })
})
