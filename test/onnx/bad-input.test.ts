import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ModelBuilder } from '../../fixtures/builder/index.js'
import { analyzeModel } from '../../src/index.js'

const work = mkdtempSync(join(tmpdir(), 'modelgate-bad-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A valid little model: x[1,4] · W[4,2] → y[1,2]. */
function tinyModel(options: { externalDataFile?: string } = {}): ModelBuilder {
  const g = new ModelBuilder(options)
  g.input('x', 'float32', [1, 4])
  const w = g.initializer('w', 'float32', [4, 2], undefined, { external: options.externalDataFile !== undefined })
  g.node('MatMul', ['x', w], ['y'])
  g.output('y', 'float32', [1, 2])
  return g
}

async function codeOf(input: string | Uint8Array, options = {}): Promise<string> {
  try {
    await analyzeModel(input, options)
  } catch (error) {
    expect((error as Error).name).toBe('ModelgateError')
    return (error as { code: string }).code
  }
  return 'no error'
}

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(work, name)
  writeFileSync(path, bytes)
  return path
}

describe('bad input is a ModelgateError with a stable code', () => {
  it('rejects a path that does not exist', async () => {
    expect(await codeOf(join(work, 'missing.onnx'))).toBe('E_FILE_NOT_FOUND')
  })

  it('rejects a directory', async () => {
    expect(await codeOf(work)).toBe('E_FILE_READ')
  })

  it('rejects something that is neither a path nor bytes', async () => {
    expect(await codeOf(42 as unknown as string)).toBe('E_INPUT')
  })

  it('rejects an empty file', async () => {
    expect(await codeOf(write('empty.onnx', new Uint8Array()))).toBe('E_NOT_ONNX')
  })

  it('rejects random bytes', async () => {
    let seed = 7
    const bytes = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed & 0xff))
    expect(['E_NOT_ONNX', 'E_ONNX_DECODE', 'E_ONNX_INVALID']).toContain(await codeOf(write('random.onnx', bytes)))
  })

  it('rejects a PyTorch checkpoint (a zip archive) and says what it is', async () => {
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, ...new Array<number>(100).fill(0)])
    await expect(analyzeModel(write('model.pt', zip))).rejects.toMatchObject({ code: 'E_NOT_ONNX', message: expect.stringContaining('PyTorch') })
  })

  it('rejects a TensorFlow GraphDef', async () => {
    // GraphDef { node { name: "x" op: "Placeholder" } versions { producer: 27 } }: field 1 is a message, where ModelProto has a varint
    const nodeDef = [0x0a, 0x01, 0x78, 0x12, 0x0b, ...new TextEncoder().encode('Placeholder')]
    const graphDef = Uint8Array.from([0x0a, nodeDef.length, ...nodeDef, 0x22, 0x02, 0x08, 0x1b])
    expect(await codeOf(write('graph.pb', graphDef))).toBe('E_NOT_ONNX')
  })

  it('rejects a Git LFS pointer and says so', async () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n'
    await expect(analyzeModel(write('lfs.onnx', pointer))).rejects.toMatchObject({ code: 'E_NOT_ONNX', message: expect.stringContaining('LFS') })
  })

  it('rejects a model truncated at any offset, never crashing', async () => {
    const bytes = tinyModel().toBytes()
    const codes = new Set<string>()
    for (let end = 0; end < bytes.length; end++) codes.add(await codeOf(bytes.subarray(0, end)))
    // some prefixes are themselves complete messages (a model without its graph, …): those are "not ONNX"
    for (const code of codes) expect(['E_NOT_ONNX', 'E_ONNX_DECODE', 'E_ONNX_INVALID', 'E_DANGLING_INPUT']).toContain(code)
    expect(codes.has('E_ONNX_DECODE')).toBe(true)
  })

  it('rejects a graph with a cycle', async () => {
    const g = new ModelBuilder()
    g.input('x', 'float32', [2])
    g.node('Add', ['x', 'b'], ['a'], undefined, { name: 'first' })
    g.node('Relu', ['a'], ['b'], undefined, { name: 'second' })
    g.output('b', 'float32', [2])
    await expect(analyzeModel(g.toBytes())).rejects.toMatchObject({ code: 'E_GRAPH_CYCLE' })
  })

  it('rejects a node input that nothing defines, naming it', async () => {
    const g = new ModelBuilder()
    g.input('x', 'float32', [2])
    g.node('Add', ['x', 'ghost'], ['y'], undefined, { name: 'adder' })
    g.output('y', 'float32', [2])
    await expect(analyzeModel(g.toBytes())).rejects.toMatchObject({ code: 'E_DANGLING_INPUT', value: 'ghost', node: 'adder' })
  })

  it('rejects a shape option for an input the model does not have', async () => {
    expect(await codeOf(tinyModel().toBytes(), { shapes: { nope: [1, 4] } })).toBe('E_SHAPE_OPTION')
  })

  it('rejects a shape option of the wrong rank or with a negative dim', async () => {
    expect(await codeOf(tinyModel().toBytes(), { shapes: { x: [1, 4, 1] } })).toBe('E_SHAPE_OPTION')
    expect(await codeOf(tinyModel().toBytes(), { shapes: { x: [1, -4] } })).toBe('E_SHAPE_OPTION')
  })

  it('rejects a dims option for a symbol the model does not have', async () => {
    expect(await codeOf(tinyModel().toBytes(), { dims: { N: 2 } })).toBe('E_DIM_OPTION')
  })
})

describe('external data stays inside the model folder', () => {
  it('reads external data next to the model and counts its bytes in the size', async () => {
    const dir = join(work, 'ext-ok')
    mkdirSync(dir)
    tinyModel({ externalDataFile: 'weights.bin' }).writeTo(join(dir, 'model.onnx'))
    const report = await analyzeModel(join(dir, 'model.onnx'))
    expect(report.params.learnable).toBe(8)
    expect(report.externalDataBytes).toBe(32)
    expect(report.sizeBytes).toBe(report.fileBytes + 32)
  })

  it('refuses a location with ..', async () => {
    const dir = join(work, 'ext-dotdot', 'inner')
    mkdirSync(dir, { recursive: true })
    // the file really exists outside the folder: the refusal is about the path, not about a missing file
    tinyModel({ externalDataFile: '../outside.bin' }).writeTo(join(dir, 'model.onnx'))
    await expect(analyzeModel(join(dir, 'model.onnx'))).rejects.toMatchObject({ code: 'E_EXTERNAL_DATA_PATH', value: '../outside.bin' })
  })

  it('refuses an absolute location', async () => {
    const dir = join(work, 'ext-abs')
    mkdirSync(dir)
    const outside = write('abs-weights.bin', new Uint8Array(32))
    writeFileSync(join(dir, 'model.onnx'), tinyModel({ externalDataFile: outside }).toBytes())
    await expect(analyzeModel(join(dir, 'model.onnx'))).rejects.toMatchObject({ code: 'E_EXTERNAL_DATA_PATH', value: outside })
  })

  it('refuses a symlink that escapes the folder', async () => {
    const dir = join(work, 'ext-link')
    mkdirSync(dir)
    const outside = write('linked-weights.bin', new Uint8Array(32))
    symlinkSync(outside, join(dir, 'weights.bin'))
    writeFileSync(join(dir, 'model.onnx'), tinyModel({ externalDataFile: 'weights.bin' }).toBytes())
    await expect(analyzeModel(join(dir, 'model.onnx'))).rejects.toMatchObject({ code: 'E_EXTERNAL_DATA_PATH' })
  })

  it('reports a missing external file', async () => {
    const dir = join(work, 'ext-missing')
    mkdirSync(dir)
    writeFileSync(join(dir, 'model.onnx'), tinyModel({ externalDataFile: 'weights.bin' }).toBytes())
    await expect(analyzeModel(join(dir, 'model.onnx'))).rejects.toMatchObject({ code: 'E_EXTERNAL_DATA_MISSING', value: 'weights.bin' })
  })

  it('reports an external file shorter than the model says', async () => {
    const dir = join(work, 'ext-short')
    mkdirSync(dir)
    writeFileSync(join(dir, 'model.onnx'), tinyModel({ externalDataFile: 'weights.bin' }).toBytes())
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(10))
    await expect(analyzeModel(join(dir, 'model.onnx'))).rejects.toMatchObject({ code: 'E_EXTERNAL_DATA_RANGE' })
  })
})
