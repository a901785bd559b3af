/**
 * Reading a model in place (decodeModelDirect, what readOnnxModel does for bytes and files up to 16 MB) against the
 * wire scan's path (scanModel + decodeScannedModel, what it did before): on every model the in-place path takes,
 * the IR must be the one the scan path gives — the fixtures, every conformance model, torchvision exports, the
 * bench's big graph. On mutated bytes it may refuse (undefined or a throw: the scan path then reads them) but never
 * give a model the scan path would not give, or another one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mulberry32, onnx } from '../../fixtures/builder/index.js'
import { buildTorchvisionModel } from '../../fixtures/torchvision/index.js'
import { decodeModelDirect, decodeScannedModel } from '../../src/onnx/decode.js'
import { ExternalDataResolver } from '../../src/onnx/external-data.js'
import { READ_WHOLE_NODE_SHARE } from '../../src/onnx/load.js'
import { memorySource } from '../../src/onnx/source.js'
import { nodesMakeUp, scanModel } from '../../src/onnx/wire.js'
import { bigGraphBuilder } from '../bench/big-graph.js'
import { loadConformance } from '../conformance/conformance.js'
import { mutate } from './fuzz.js'
import { atOffset } from './wire-bytes.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')

type Outcome = { model: unknown } | { error: unknown } | { refused: true }

/** Both paths on the same bytes (external data resolved next to `file`, when given). */
function bothPaths(bytes: Uint8Array, file?: string): { direct: Outcome; scanned: Outcome } {
  const resolver = (): ExternalDataResolver => new ExternalDataResolver(file === undefined ? undefined : dirname(file), file)
  const run = (read: () => unknown): Outcome => {
    try {
      const model = read()
      return model === undefined ? { refused: true } : { model }
    } catch (error) {
      return { error }
    }
  }
  const r1 = resolver()
  const r2 = resolver()
  return {
    direct: run(() => decodeModelDirect(bytes, (name, entries) => r1.resolve(name, entries))),
    scanned: run(() => decodeScannedModel(scanModel(memorySource(bytes)), bytes.length, (name, entries) => r2.resolve(name, entries))),
  }
}

/** Asserts that the in-place path gave the scan path's model, or refused; returns whether it took the bytes. */
function expectSameOrRefused(bytes: Uint8Array, file?: string): boolean {
  const { direct, scanned } = bothPaths(bytes, file)
  if (!('model' in direct)) return false
  // a model read in place is one the scan path reads too, and the same
  expect(scanned).toHaveProperty('model')
  expect((direct as { model: unknown }).model).toEqual((scanned as { model: unknown }).model)
  return true
}

describe('a model read in place', () => {
  const fixtures = readdirSync(FIXTURES)
    .map((d) => join(FIXTURES, d, 'model.onnx'))
    .filter((f) => existsSync(f))

  it('is the scanned model for every fixture; only the one with functions is left to the scan', () => {
    expect(fixtures.length).toBeGreaterThan(15)
    const left: string[] = []
    for (const file of fixtures) if (!expectSameOrRefused(readFileSync(file), file)) left.push(file.split('/').at(-2)!)
    // functions: their attribute defaults (attribute_proto, IR ≥ 9) are recovered by the scan alone
    expect(left).toEqual(['function'])
  })

  it('is the scanned model for every conformance model, each taken in place', () => {
    const data = loadConformance()
    const models = [...data.files].filter(([path]) => path.endsWith('/model.onnx'))
    expect(models.length).toBeGreaterThan(1900)
    let taken = 0
    for (const [, bytes] of models) if (expectSameOrRefused(bytes)) taken++
    // none has functions or sparse initializers, and none is malformed
    expect(taken).toBe(models.length)
  }, 120_000)

  it('is the scanned model for torchvision exports and the bench\'s big graph, payloads at the same offsets', () => {
    for (const bytes of [buildTorchvisionModel('squeezenet1_1'), buildTorchvisionModel('mobilenet_v3_small'), bigGraphBuilder(2000).toBytes()]) {
      expect(expectSameOrRefused(bytes)).toBe(true)
    }
  }, 60_000)

  it('locates payloads in a view at an offset of a larger buffer as the scan does', () => {
    const bytes = atOffset(buildTorchvisionModel('squeezenet1_1'), 13)
    const { direct } = bothPaths(bytes)
    expect(expectSameOrRefused(bytes)).toBe(true)
    const model = (direct as { model: { graph: { initializers: { payload: { kind: string; offset: number; length: number } }[] } } }).model
    const payload = model.graph.initializers[0]!.payload
    expect(payload.kind).toBe('file')
    expect(payload.offset + payload.length).toBeLessThanOrEqual(bytes.length)
  })

  it('takes what the direct decoders leave (a Constant node\'s tensor, a subgraph, float_data) through the scan of that part alone', () => {
    const model = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [
          { opType: 'Constant', output: ['c'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims: [4], dataType: 1, rawData: new Uint8Array(16).fill(7) } }] },
          { opType: 'Add', input: ['x', 'c'], output: ['y'] },
        ],
        initializer: [
          { name: 'f', dims: [2], dataType: 1, floatData: [1.5, 2.5] },
          { name: 'r', dims: [2], dataType: 1, rawData: new Uint8Array(8).fill(1) },
          { name: 'empty', dims: [0], dataType: 1, rawData: new Uint8Array(0) },
        ],
        input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 4 }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 4 }] } } } }],
      },
    }).finish()
    const { direct, scanned } = bothPaths(model)
    expect(direct).toHaveProperty('model')
    expect(direct).toEqual(scanned)
    const graph = (direct as { model: { graph: { nodes: { attributes: Map<string, { value: { payload: unknown } }> }[]; initializers: { payload: unknown }[] } } }).model.graph
    // every payload a location in the bytes, none copied out
    expect(graph.nodes[0]!.attributes.get('value')!.value.payload).toMatchObject({ kind: 'file', length: 16 })
    expect(graph.initializers.map((t) => t.payload)).toMatchObject([{ kind: 'file', encoding: 'float_data' }, { kind: 'file', encoding: 'raw', length: 8 }, { kind: 'file', length: 0 }])
  })

  it('refuses what only the scan path reads: functions, sparse initializers, a top-level field of the wrong wire type', () => {
    const base = { irVersion: 9, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g' } }
    const withFunction = onnx.ModelProto.encode({ ...base, functions: [{ name: 'f', domain: 'd' }] }).finish()
    const withSparse = onnx.ModelProto.encode({ ...base, graph: { name: 'g', sparseInitializer: [{ values: { name: 's', dims: [1], dataType: 1, rawData: new Uint8Array(4) }, indices: { dims: [1], dataType: 7, rawData: new Uint8Array(8) }, dims: [4] }] } }).finish()
    const plain = onnx.ModelProto.encode(base).finish()
    // ir_version (field 1) written as a length-delimited field: protobufjs would read it, the scan refuses it
    const wrongWireType = Uint8Array.from([0x0a, 1, 8, ...plain.subarray(2)])
    for (const bytes of [withFunction, withSparse]) {
      const { direct, scanned } = bothPaths(bytes)
      expect(direct).toEqual({ refused: true })
      expect(scanned).toHaveProperty('model')
    }
    expect(bothPaths(plain).direct).toHaveProperty('model')
    const wrong = bothPaths(wrongWireType)
    expect(wrong.direct).toEqual({ refused: true })
    expect(wrong.scanned).toHaveProperty('error')
  })

  it('never gives a model the scan path would not give, on mutated bytes (3,000 cases)', () => {
    const sources = fixtures.filter((f) => !f.includes('external-data')).map((f) => readFileSync(f))
    let taken = 0
    let refused = 0
    for (let i = 0; i < 3000; i++) {
      const bytes = mutate(sources[i % sources.length]!, mulberry32(7_000_003 + i))
      if (expectSameOrRefused(bytes)) taken++
      else refused++
    }
    // not all harmless, not all refused
    expect(taken).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(1000)
  }, 120_000)
})

describe('which files are read whole', () => {
  it('those whose leading nodes make up a quarter of the bytes: the big graph, not a torchvision export; nothing malformed', () => {
    const share = (bytes: Uint8Array): boolean => nodesMakeUp(memorySource(bytes), READ_WHOLE_NODE_SHARE)
    const big = bigGraphBuilder(2000).toBytes()
    expect(share(big)).toBe(true)
    // 68 % of its bytes are nodes, not 90 % (a walk to 60 % reads its headers across several of the walk's 64 KB chunks)
    expect(nodesMakeUp(memorySource(big), 0.6)).toBe(true)
    expect(nodesMakeUp(memorySource(big), 0.9)).toBe(false)
    expect(share(buildTorchvisionModel('squeezenet1_1'))).toBe(false)
    // truncated in the nodes, not protobuf, empty
    expect(share(big.subarray(0, big.length >> 1))).toBe(false)
    expect(share(new TextEncoder().encode('not a model at all, just some text'))).toBe(false)
    expect(share(new Uint8Array(0))).toBe(false)
  })
})
