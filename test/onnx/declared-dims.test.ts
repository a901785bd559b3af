import { describe, expect, it } from 'vitest'
import { GraphBuilder, ModelBuilder, onnx, tensorAttr } from '../../fixtures/builder/index.js'
import { analyzeModel } from '../../src/index.js'

/** x[rows, 8] · w[8, 4] → y[rows, 4]: rows·8·4 MACs. */
function matmul(rows: number, outRows = rows): ModelBuilder {
  const g = new ModelBuilder()
  g.input('x', 'float32', [rows, 8])
  g.initializer('w', 'float32', [8, 4])
  g.node('MatMul', ['x', 'w'], ['y'])
  g.output('y', 'float32', [outRows, 4])
  return g
}

/** The builder refuses negative dims, as it should: edit the encoded model as an adversary would. */
function edited(g: ModelBuilder, edit: (m: ReturnType<typeof onnx.ModelProto.decode>) => void): Uint8Array {
  const m = onnx.ModelProto.decode(g.toBytes())
  edit(m)
  return onnx.ModelProto.encode(m).finish()
}

async function failure(input: Uint8Array): Promise<{ code: string; message: string; value: unknown; node: string | undefined }> {
  try {
    await analyzeModel(input)
  } catch (error) {
    return error as { code: string; message: string; value: unknown; node: string | undefined }
  }
  throw new Error('the model analysed')
}

describe('a negative declared dim is refused, naming the tensor, the axis and the value', () => {
  it('a graph input [-3, 8] of a MatMul (the issue: it analysed with macs -96)', async () => {
    const e = await failure(matmul(-3, 3).toBytes())
    expect(e).toMatchObject({ code: 'E_ONNX_INVALID', value: -3 })
    expect(e.message).toContain('graph input "x" declares dim -3 on axis 0')
  })

  it('a graph output', async () => {
    const e = await failure(matmul(3, -3).toBytes())
    expect(e).toMatchObject({ code: 'E_ONNX_INVALID', value: -3 })
    expect(e.message).toContain('graph output "y" declares dim -3 on axis 0')
  })

  it('a value_info entry, also the one of an unknown op\'s output, which would be taken as declared', async () => {
    const g = new ModelBuilder()
    g.input('x', 'float32', [2, 8])
    g.node('Mystery', ['x'], ['h'], undefined, { domain: 'com.example' })
    g.valueInfo('h', 'float32', [2, -7])
    g.node('Relu', ['h'], ['y'])
    g.output('y', 'float32')
    const e = await failure(g.toBytes())
    expect(e).toMatchObject({ code: 'E_ONNX_INVALID', value: -7 })
    expect(e.message).toContain('value_info "h" declares dim -7 on axis 1')
  })

  it('an initializer', async () => {
    const e = await failure(edited(matmul(3), (m) => void (m.graph!.initializer![0]!.dims = [8, -4])))
    expect(e.code).toBe('E_ONNX_INVALID')
    expect(e.message).toContain('tensor "w" declares dim -4 on axis 1')
  })

  it('the tensor of a Constant node', async () => {
    const g = new ModelBuilder()
    g.input('x', 'float32', [3, 8])
    g.node('Constant', [], ['w'], { value: tensorAttr('w', 'float32', [8, 4]) }, { name: 'weights' })
    g.node('MatMul', ['x', 'w'], ['y'])
    g.output('y', 'float32', [3, 4])
    const e = await failure(edited(g, (m) => void (m.graph!.node![0]!.attribute![0]!.t!.dims = [-8, 4])))
    expect(e.code).toBe('E_ONNX_INVALID')
    expect(e.message).toContain('tensor "w" declares dim -8 on axis 0')
  })

  it('a declared output of an If branch (a subgraph), naming the subgraph and its node', async () => {
    const g = new ModelBuilder()
    g.input('x', 'float32', [1, 4])
    g.input('cond', 'bool', [])
    const thenG = new GraphBuilder('then_branch', 'then/')
    thenG.node('Relu', ['x'], ['t'])
    thenG.output('t', 'float32', [1, -4])
    const elseG = new GraphBuilder('else_branch', 'else/')
    elseG.node('Neg', ['x'], ['e'])
    elseG.output('e', 'float32', [1, 4])
    g.node('If', ['cond'], ['y'], { then_branch: thenG, else_branch: elseG }, { name: 'choose' })
    g.output('y', 'float32', [1, 4])
    const e = await failure(g.toBytes())
    expect(e).toMatchObject({ code: 'E_ONNX_INVALID', value: -4, node: 'choose' })
    expect(e.message).toContain('graph output "t" in subgraph "then_branch" of node "choose" declares dim -4 on axis 1')
  })

  it('a shape tensor\'s negative entry that an op would pass through (Expand [-3, 8], Tile by -3)', async () => {
    const expand = new ModelBuilder()
    expand.input('x', 'float32', [1, 8])
    expand.initializer('shape', 'int64', [2], [-3, 8])
    expand.node('Expand', ['x', 'shape'], ['y'], undefined, { name: 'grow' })
    expand.output('y', 'float32')
    const e = await failure(expand.toBytes())
    expect(e).toMatchObject({ code: 'E_SHAPE_INFERENCE', node: 'grow', value: -3 })
    expect(e.message).toContain('output "y" would have dim -3 on axis 0')

    const tile = new ModelBuilder()
    tile.input('x', 'float32', [3, 8])
    tile.initializer('repeats', 'int64', [2], [-3, 1])
    tile.node('Tile', ['x', 'repeats'], ['y'], undefined, { name: 'tile' })
    tile.output('y', 'float32')
    // 3 rows × -3 repeats = -9 rows
    expect(await failure(tile.toBytes())).toMatchObject({ code: 'E_SHAPE_INFERENCE', node: 'tile', value: -9 })
  })

  it('dim 0 stays legal: an empty batch analyses with 0 MACs', async () => {
    const report = await analyzeModel(matmul(0).toBytes())
    // 0 rows · 8 · 4 = 0 MACs; the weights are still 8·4 = 32 params
    expect(report.macs).toBe(0)
    expect(report.params.learnable).toBe(32)
    expect(report.inputs[0]!.dims).toEqual([0, 8])
  })
})

describe('a model nested past the decoder\'s depth limit', () => {
  it('says "nested more than N deep", without guessing at truncation', async () => {
    // Each If level adds node → attribute → graph: three messages. 25 levels put the innermost graph at depth 76 > 64.
    let inner = new GraphBuilder('level25', 'l25/')
    inner.node('Identity', ['x'], ['o25'])
    inner.output('o25', 'float32', [1])
    // the else branches are leaves, so the model stays linear in size
    const leaf = (level: number): GraphBuilder => {
      const g = new GraphBuilder(`leaf${level}`, `f${level}/`)
      g.node('Identity', ['x'], [`f${level}`])
      g.output(`f${level}`, 'float32', [1])
      return g
    }
    for (let level = 24; level >= 1; level--) {
      const g = new GraphBuilder(`level${level}`, `l${level}/`)
      g.node('If', ['cond'], [`o${level}`], { then_branch: inner, else_branch: leaf(level) })
      g.output(`o${level}`, 'float32', [1])
      inner = g
    }
    const m = new ModelBuilder()
    m.input('x', 'float32', [1])
    m.input('cond', 'bool', [])
    m.node('If', ['cond'], ['y'], { then_branch: inner, else_branch: leaf(0) })
    m.output('y', 'float32', [1])
    const e = await failure(m.toBytes())
    expect(e.code).toBe('E_ONNX_NESTING')
    expect(e.message).toMatch(/^the given bytes has messages nested more than 64 deep \(at byte \d+\)\. /)
    expect(e.message).not.toMatch(/truncat|LFS/)
  })

  it('a function that calls itself is "nested more than 32 deep" for the analyzer, with the same code', async () => {
    const g = new ModelBuilder()
    g.function({
      name: 'Again',
      domain: 'local.fns',
      inputs: ['X'],
      outputs: ['Y'],
      opsets: { '': 17, 'local.fns': 1 },
      body: (f) => void f.node('Again', ['X'], ['Y'], undefined, { domain: 'local.fns' }),
    })
    g.input('x', 'float32', [1])
    g.node('Again', ['x'], ['y'], undefined, { domain: 'local.fns' })
    g.output('y', 'float32', [1])
    const e = await failure(g.toBytes())
    expect(e.code).toBe('E_ONNX_NESTING')
    expect(e.message).toMatch(/^Subgraphs or functions are nested more than 32 deep \(at function local\.fns::Again\)\. /)
  })
})
