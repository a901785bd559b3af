/**
 * The direct TensorProto decoder (src/onnx/fast-tensor.ts) against protobufjs: every tensor it decodes must equal
 * protobufjs's decoding converted to the IR, every tensor it does not handle must be left to protobufjs, and a
 * model's initializers come out the same, in file order, whichever decoder read each — in a graph large enough to
 * grow the lists of encoded nodes and tensors too.
 */
import { describe, expect, it } from 'vitest'
import { onnx } from '../../fixtures/builder/index.js'
import { decodeTensorProto } from '../../src/onnx/decode.js'
import { SimpleTensorDecoder } from '../../src/onnx/fast-tensor.js'
import { readOnnxModel } from '../../src/onnx/load.js'
import type { TensorPayload } from '../../src/onnx/types.js'
import { atOffset, raw } from './wire-bytes.js'
import { bigGraphBuilder } from '../bench/big-graph.js'

function encode(tensor: Parameters<typeof onnx.TensorProto.encode>[0]): Uint8Array {
  return atOffset(onnx.TensorProto.encode(tensor).finish(), 5)
}

// external data as a payload that shows what the resolver was given (the real one checks paths: external-data.ts)
const external = (tensorName: string, entries: ReadonlyMap<string, string>): TensorPayload => ({ kind: 'strings', values: [tensorName, ...[...entries].flat()] })
// what decodeTensorProto does with raw_data that is not a scanner marker: the bytes, inline
const decoder = new SimpleTensorDecoder((buffer, start, end): TensorPayload => ({ kind: 'inline', encoding: 'raw', bytes: buffer.subarray(start, end) }), external)

describe('direct TensorProto decoder', () => {
  const handled: [string, Uint8Array][] = [
    ['name, dims, type and raw data', encode({ name: 'conv.weight', dims: [8, 3, 3, 3], dataType: 1, rawData: new Uint8Array([1, 2, 3, 4]) })],
    ['a scalar without data', encode({ name: 's', dataType: 7 })],
    ['no fields', encode({})],
    ['a unicode name, doc_string, an unknown data type', encode({ name: 'вес', docString: 'd', dataType: 999, dims: [0] })],
    ['dims past 2^32', encode({ name: 'big', dims: [2 ** 40, 1], dataType: 1 })],
    // dims unpacked (wire type 0, one field per element)
    ['unpacked dims', raw([0x08, 2], [0x08, 3], [0x10, 1], [0x42, 1, 0x77], [0x4a, 2, 7, 8])],
    ['data_location DEFAULT given', raw([0x42, 1, 0x77], [0x70, 0], [0x4a, 1, 9])],
    ['external data', encode({ name: 'e', dims: [4], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }, { key: 'offset', value: '64' }, { key: 'length', value: '16' }] })],
    ['external data, a key given twice (the later entry wins)', encode({ name: 'e', dataLocation: 1, externalData: [{ key: 'location', value: 'a.bin' }, { key: 'location', value: 'b.bin' }] })],
    ['external data without entries', encode({ name: 'e', dims: [2], dataType: 1, dataLocation: 1 })],
    ['external entries with data_location DEFAULT (ignored: raw data read)', encode({ name: 'e', dims: [1], dataType: 1, rawData: new Uint8Array(4), externalData: [{ key: 'location', value: 'w.bin' }] })],
    // an entry whose key comes after its value, and one with an empty value
    ['entry fields out of order', raw([0x42, 1, 0x65], [0x6a, 8, 0x12, 1, 0x76, 0x0a, 3, 0x6b, 0x65, 0x79], [0x6a, 2, 0x0a, 0], [0x70, 1])],
  ]
  it.each(handled)('decodes %s as protobufjs does', (_, bytes) => {
    const direct = decoder.decode(bytes, 0, bytes.length)
    expect(direct).toBeDefined()
    expect(direct).toEqual(decodeTensorProto(bytes, external))
  })

  const left: [string, Uint8Array][] = [
    ['float_data', encode({ name: 'f', dims: [2], dataType: 1, floatData: [1, 2] })],
    ['int64_data', encode({ name: 'i', dims: [1], dataType: 7, int64Data: [5] })],
    ['string_data', encode({ name: 's', dims: [1], dataType: 8, stringData: [new Uint8Array([0x61])] })],
    ['a data_location neither DEFAULT nor EXTERNAL', raw([0x42, 1, 0x65], [0x70, 2])],
    ['an external entry with an unknown field', raw([0x42, 1, 0x65], [0x6a, 2, 0x18, 1], [0x70, 1])],
    ['an external entry whose value is not UTF-8', raw([0x42, 1, 0x65], [0x6a, 4, 0x12, 2, 0xff, 0xfe], [0x70, 1])],
    ['an external entry that runs past its tensor', raw([0x42, 1, 0x65], [0x70, 1], [0x6a, 9, 0x0a, 1])],
    ['a segment', encode({ name: 'seg', dims: [4], dataType: 1, segment: { begin: 0, end: 2 } })],
    ['a negative dim', raw([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [0x10, 1])],
    ['a dim past 2^53', encode({ name: 'huge', dims: [2 ** 53 + 2], dataType: 1 })],
    ['a data type past int32', raw([0x10, 0x80, 0x80, 0x80, 0x80, 0x10])],
    ['a name that is not UTF-8', raw([0x42, 2, 0xff, 0xfe])],
    ['a field that runs past the end', raw([0x4a, 9, 0x41])],
    // protobufjs keeps the last; the wire scan's payload table the first: protobufjs reads the scanned structure
    ['raw_data given twice', raw([0x42, 1, 0x77], [0x4a, 1, 9], [0x4a, 2, 7, 8])],
  ]
  it.each(left)('leaves %s to protobufjs', (_, bytes) => {
    expect(decoder.decode(bytes, 0, bytes.length)).toBeUndefined()
  })
})

describe('dims lists', () => {
  it('are shared by tensors of the same dims met in turn, and never by tensors of other dims', () => {
    const shapes = [[8, 8, 1, 1], [8], [8, 1, 1], [8, 8, 1, 1], [8], [8, 1, 1], [8, 8, 1, 2], [], [8], [1, 8, 1, 1]]
    const fresh = new SimpleTensorDecoder((buffer, start, end): TensorPayload => ({ kind: 'inline', encoding: 'raw', bytes: buffer.subarray(start, end) }), external)
    const dims = shapes.map((d, i) => {
      const bytes = encode({ name: `t${i}`, dims: d, dataType: 1 })
      return fresh.decode(bytes, 0, bytes.length)!.dims
    })
    expect(dims).toEqual(shapes)
    for (let i = 0; i < shapes.length; i++) {
      for (let j = 0; j < i; j++) {
        // equal dims within the latest four distinct lists share the list; other dims never do
        if (shapes[i]!.join() !== shapes[j]!.join()) expect(dims[i]).not.toBe(dims[j])
      }
    }
    expect(dims[3]).toBe(dims[0])
    expect(dims[4]).toBe(dims[1])
    expect(dims[5]).toBe(dims[2])
    expect(dims[8]).toBe(dims[1])
  })
})

describe('a model\'s initializers', () => {
  it('come out in file order with their payloads, whichever decoder read each', () => {
    const tensor = (t: Parameters<typeof onnx.TensorProto.create>[0]) => onnx.TensorProto.create(t)
    const model = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        initializer: [
          tensor({ name: 'a', dims: [2], dataType: 1, rawData: new Uint8Array(8).fill(1) }),
          // left to protobufjs, between two the direct decoder reads
          tensor({ name: 'b', dims: [2], dataType: 1, floatData: [1.5, 2.5] }),
          tensor({ name: 'c', dims: [3, 1], dataType: 7, rawData: new Uint8Array(24) }),
          tensor({ name: 'd', dims: [], dataType: 6 }),
        ],
        node: [{ opType: 'Add', input: ['a', 'b'], output: ['y'] }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } } }],
      },
    }).finish()
    const { graph } = readOnnxModel(model).model
    expect(graph.initializers.map((t) => [t.name, t.dtype, t.dims, t.payload.kind])).toEqual([
      ['a', 'float32', [2], 'file'],
      ['b', 'float32', [2], 'file'],
      ['c', 'int64', [3, 1], 'file'],
      ['d', 'int32', [], 'none'],
    ])
    // the payloads point at the skipped bytes in the file: a's 8 bytes of 1s, c's 24 zero bytes
    const at = (name: string) => graph.initializers.find((t) => t.name === name)!.payload
    const a = at('a')
    const c = at('c')
    expect(a.kind === 'file' && [...model.subarray(a.offset, a.offset + a.length)]).toEqual(new Array(8).fill(1))
    expect(a.kind === 'file' && c.kind === 'file' && [a.length, c.length, c.encoding]).toEqual([8, 24, 'raw'])
    expect(at('b')).toMatchObject({ kind: 'file', encoding: 'float_data', length: 8 })
  })
})

describe('a large graph', () => {
  it('comes out node for node and tensor for tensor as protobufjs reads it, past the decoders\' first list sizes', () => {
    // 2,000 nodes and 602 initializers: the lists of encoded nodes and tensors grow twice past their first size
    const bytes = bigGraphBuilder(2000).toBytes()
    const { graph } = readOnnxModel(bytes).model
    const reference = onnx.ModelProto.decode(bytes).graph!
    expect(graph.nodes.map((n) => [n.name, n.opType, n.inputs, n.outputs])).toEqual(
      reference.node!.map((n) => [n.name, n.opType, n.input, n.output]),
    )
    expect(graph.initializers.map((t) => [t.name, t.dims, t.payload.kind])).toEqual(
      reference.initializer!.map((t) => [t.name, t.dims!.map(Number), 'file']),
    )
    expect(graph.nodes).toHaveLength(2000)
  })
})
