/**
 * The direct NodeProto decoder (src/onnx/fast-node.ts) against protobufjs: every node it decodes must equal
 * protobufjs's decoding converted to the IR, and every node it does not handle must be left to protobufjs.
 */
import { describe, expect, it } from 'vitest'
import { onnx } from '../../fixtures/builder/index.js'
import { decodeNodeProto } from '../../src/onnx/decode.js'
import { SimpleNodeDecoder } from '../../src/onnx/fast-node.js'
import { atOffset, raw } from './wire-bytes.js'

const T = onnx.AttributeProto.AttributeType

function encode(node: Parameters<typeof onnx.NodeProto.encode>[0]): Uint8Array {
  return atOffset(onnx.NodeProto.encode(node).finish())
}

const decoder = new SimpleNodeDecoder()

describe('direct NodeProto decoder', () => {
  const handled: [string, Uint8Array][] = [
    ['names and lists', encode({ input: ['x', '', 'w.0'], output: ['y', 'z'], name: 'n/1', opType: 'Conv', domain: 'ai.onnx' })],
    ['no fields', encode({})],
    ['unicode names', encode({ input: ['вход', '入力'], output: ['λ→y'], opType: 'Relu' })],
    ['int, negative int, float, string', encode({
      opType: 'X',
      attribute: [
        { name: 'axis', i: -1, type: T.INT },
        { name: 'big', i: 2 ** 53 - 1, type: T.INT },
        { name: 'neg', i: -(2 ** 53 - 1), type: T.INT },
        { name: 'alpha', f: 0.1, type: T.FLOAT },
        { name: 'mode', s: new TextEncoder().encode('constant'), type: T.STRING },
        { name: 'zero', i: 0, type: T.INT },
      ],
    })],
    ['lists', encode({
      opType: 'X',
      attribute: [
        { name: 'perm', ints: [0, 3, -1, 2 ** 40], type: T.INTS },
        { name: 'scales', floats: [1.5, -2, 1e-7], type: T.FLOATS },
        { name: 'names', strings: [new TextEncoder().encode('a'), new Uint8Array(0)], type: T.STRINGS },
        { name: 'empty', type: T.INTS },
      ],
    })],
    ['doc_string and a repeated attribute name (last wins)', encode({
      opType: 'X',
      docString: 'doc',
      attribute: [{ name: 'k', i: 1, type: T.INT }, { name: 'k', i: 2, type: T.INT, docString: 'd' }],
    })],
    // attribute ints unpacked (wire type 0, one field per element) and floats unpacked (wire type 5)
    ['unpacked lists', raw(
      [0x22, 1, 0x58], // op_type 'X'
      [0x2a, 17, 0x0a, 1, 0x6b, 0x40, 3, 0x40, 0x7f, 0x40, 0x05, 0xa0, 0x01, 7, 0x3d, 0, 0, 0x80, 0x3f], // k: ints [3, 127, 5] + a float ignored by INTS
    )],
    // a scalar field given twice: the last one wins in protobuf
    ['op_type twice', raw([0x22, 1, 0x41], [0x22, 1, 0x42])],
    // a NodeProto field past 7 (overload, IR 10) is skipped
    ['overload field', raw([0x22, 1, 0x58], [0x42, 2, 0x6f, 0x6c])],
  ]
  it.each(handled)('decodes %s as protobufjs does', (_, bytes) => {
    const direct = decoder.decode(bytes)
    expect(direct).toBeDefined()
    expect(direct).toEqual(decodeNodeProto(bytes))
  })

  const left: [string, Uint8Array][] = [
    ['a tensor attribute', encode({ opType: 'Constant', attribute: [{ name: 'value', t: { dims: [1], dataType: 1, rawData: new Uint8Array(4) }, type: T.TENSOR }] })],
    ['a graph attribute', encode({ opType: 'If', attribute: [{ name: 'then_branch', g: { name: 'g' }, type: T.GRAPH }] })],
    ['an attribute reference', encode({ opType: 'X', attribute: [{ name: 'a', refAttrName: 'b', type: T.INT }] })],
    ['an attribute without a type', encode({ opType: 'X', attribute: [{ name: 'a', i: 3 }] })],
    ['an int64 past 2^53', encode({ opType: 'X', attribute: [{ name: 'a', i: 2 ** 53 + 2, type: T.INT }] })],
    ['a name that is not UTF-8', raw([0x1a, 2, 0xff, 0xfe])],
    ['a field that runs past the end', raw([0x0a, 9, 0x41])],
    ['a group (wire type 3)', raw([0x5b])],
    // protobufjs skips it; the wire scan refuses it, and a model read in place must be refused the same way
    ['a field number 0', raw([0x22, 1, 0x58], [0x00, 1])],
  ]
  it.each(left)('leaves %s to protobufjs', (_, bytes) => {
    expect(decoder.decode(bytes)).toBeUndefined()
  })
})

describe('what the direct decoder keeps', () => {
  const conv = (name: string, stride: number): Uint8Array =>
    encode({
      input: [`${name}.x`, `${name}.w`],
      output: [`${name}.y`],
      name,
      opType: 'Conv',
      attribute: [
        { name: 'kernel_shape', ints: [1, 1], type: T.INTS },
        { name: 'strides', ints: [stride, stride], type: T.INTS },
      ],
    })

  it('gives nodes whose attribute fields are the same bytes one shared, read-only map', () => {
    const d = new SimpleNodeDecoder()
    const a = d.decode(conv('a', 1))!
    const b = d.decode(conv('b', 1))!
    const c = d.decode(conv('c', 2))!
    expect(a.attributes).toBe(b.attributes)
    expect(c.attributes).not.toBe(a.attributes)
    expect(c.attributes.get('strides')).toEqual({ type: 'ints', value: [2, 2] })
    // still each node's own lists and names
    expect([a.name, a.inputs, b.name, b.inputs]).toEqual(['a', ['a.x', 'a.w'], 'b', ['b.x', 'b.w']])
  })

  it('merges attribute fields split by another field into a map of the node\'s own, leaving the shared one as it was', () => {
    const d = new SimpleNodeDecoder()
    const alone = d.decode(raw([0x22, 1, 0x58], [0x2a, 8, 0x0a, 1, 0x6b, 0x18, 1, 0xa0, 0x01, 2]))!
    // op_type X, attribute k=1, name 'n', attribute j=2 (the first run's bytes are the same as `alone`'s)
    const split = raw([0x22, 1, 0x58], [0x2a, 8, 0x0a, 1, 0x6b, 0x18, 1, 0xa0, 0x01, 2], [0x1a, 1, 0x6e], [0x2a, 8, 0x0a, 1, 0x6a, 0x18, 2, 0xa0, 0x01, 2])
    const node = d.decode(split)!
    expect(node).toEqual(decodeNodeProto(split))
    expect([...node.attributes.keys()]).toEqual(['k', 'j'])
    expect([...alone.attributes.keys()]).toEqual(['k'])
  })

  it('reads inputs that name recent outputs, and names that differ from them only in a byte, as their own bytes say', () => {
    // nodes one after another in one buffer, as the scanned structure holds them: each reads the outputs of the
    // ones before it (the decoder compares an input's bytes with the latest outputs' before decoding it)
    const nodes = Array.from({ length: 12 }, (_, i) => onnx.NodeProto.encode({ opType: 'Add', input: [`t${i - 1}`, `t${Math.max(0, i - 10)}`, `u${i}`], output: [`t${i}`], name: `n${i}` }).finish())
    const buffer = new Uint8Array(nodes.reduce((n, b) => n + b.length, 0))
    const ranges: [number, number][] = []
    let at = 0
    for (const b of nodes) {
      buffer.set(b, at)
      ranges.push([at, at + b.length])
      at += b.length
    }
    const d = new SimpleNodeDecoder()
    const decoded = ranges.map(([start, end]) => d.decode(buffer, start, end))
    expect(decoded).toEqual(ranges.map(([start, end]) => decodeNodeProto(buffer.subarray(start, end))))
    expect(decoded[11]!.inputs).toEqual(['t10', 't1', 'u11'])
  })

  it('leaves an attribute key written in more bytes than it needs to protobufjs', () => {
    // field 5 as the two-byte varint 0xaa 0x00: valid protobuf, not the bytes the shared-map key is made of
    const bytes = raw([0x22, 1, 0x58], [0xaa, 0x00, 8, 0x0a, 1, 0x6b, 0x18, 1, 0xa0, 0x01, 2])
    expect(new SimpleNodeDecoder().decode(bytes)).toBeUndefined()
    expect(decodeNodeProto(bytes).attributes.get('k')).toEqual({ type: 'int', value: 1 })
  })
})
