import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { analyzeModel } from '../../src/analysis/index.js'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/run.js'

const ROOT = resolve(import.meta.dirname, '../..')
const CONV = 'fixtures/conv/model.onnx'
const DYNAMIC = 'fixtures/dynamic-batch-matmul/model.onnx'

/** Runs `modelgate <argv>` from the repository root with captured streams. */
async function modelgate(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' }
  const io: CliIo = { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, cwd: ROOT, env: {} }
  const code = await runCli(argv, io)
  return { code, ...out }
}

/** Absolute paths of this checkout become `<repo>`. */
const normalise = (text: string): string => text.replaceAll(ROOT, '<repo>')

describe('modelgate analyze --json', () => {
  test('prints exactly one JSON document with every figure of the report, and exits 0', async () => {
    const { code, stdout, stderr } = await modelgate('analyze', CONV, '--json')
    expect(code).toBe(0)
    expect(stderr).toBe('')
    expect(stdout.endsWith('}\n')).toBe(true)
    // JSON.parse rejects anything after the first document
    const report = JSON.parse(stdout) as Record<string, unknown>
    expect(report).toMatchObject({
      costModelVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      params: { learnable: 224, buffers: 0, constants: 0, byDtype: { float32: { count: 224, bytes: 896 } } },
      sizeBytes: 1179,
      macs: 13_824,
      flops: 28_672,
      memoryAccessBytes: 7808,
      peakActivationBytes: 4096,
      coverage: { nodes: 2, countedNodes: 2, unknownOps: {}, complete: true, totalsAreLowerBounds: false },
    })
    expect(report.nodes).toEqual([
      expect.objectContaining({ name: 'conv', opType: 'Conv', domain: '', macs: 13_824, flops: 28_160, params: 224, bytesRead: 1664, bytesWritten: 2048, outputs: [{ name: expect.any(String), dtype: 'float32', dims: [1, 8, 8, 8] }] }),
      expect.objectContaining({ name: 'relu', opType: 'Relu', domain: '', macs: 0, flops: 512, params: 0, bytesRead: 2048, bytesWritten: 2048, outputs: [{ name: 'y', dtype: 'float32', dims: [1, 8, 8, 8] }] }),
    ])
    expect(report.tensors).toEqual({
      x: { dtype: 'float32', dims: [1, 3, 8, 8] },
      'conv.weight': { dtype: 'float32', dims: [8, 3, 3, 3] },
      'conv.bias': { dtype: 'float32', dims: [8] },
      [(report.nodes as { outputs: { name: string }[] }[])[0]!.outputs[0]!.name]: { dtype: 'float32', dims: [1, 8, 8, 8] },
      y: { dtype: 'float32', dims: [1, 8, 8, 8] },
    })
  })

  test('is the very report analyzeModel() resolves to', async () => {
    const { stdout } = await modelgate('analyze', DYNAMIC, '--json', '--dim', 'N=3')
    const report = await analyzeModel(resolve(ROOT, DYNAMIC), { dims: { N: 3 } })
    expect(JSON.parse(stdout)).toStrictEqual(JSON.parse(JSON.stringify(report)))
    expect(JSON.parse(stdout)).toEqual(report)
  })

  test('keeps symbolic dims as strings and totals as polynomials when a symbol is left free', async () => {
    const report = JSON.parse((await modelgate('analyze', DYNAMIC, '--json')).stdout) as Record<string, unknown>
    expect(report).toMatchObject({ macs: '1472*N', unresolved: [{ symbol: 'N', nodes: ['proj', 'batched'] }] })
    expect(report.tensors).toMatchObject({ x: { dtype: 'float32', dims: ['N', 16] }, z: { dtype: 'float32', dims: ['N', 3, 4, 5] } })
  })

  test('--dim and --shape resolve the symbol to the same figures', async () => {
    const byDim = JSON.parse((await modelgate('analyze', DYNAMIC, '--json', '--dim', 'N=2')).stdout) as Record<string, unknown>
    const byShape = JSON.parse((await modelgate('analyze', DYNAMIC, '--json', '--shape', 'x=2,16', '--shape', 'a=2,1,4,16')).stdout) as Record<string, unknown>
    expect(byDim).toMatchObject({ macs: 2944, flops: 5888, unresolved: [] })
    expect(byShape).toMatchObject({ macs: 2944, flops: 5888, unresolved: [] })
    expect(byShape.tensors).toMatchObject({ x: { dims: [2, 16] }, z: { dims: [2, 3, 4, 5] } })
  })
})

describe('modelgate analyze (readable output)', () => {
  test('prints the summary and the nodes by MACs', async () => {
    const { code, stdout } = await modelgate('analyze', CONV)
    expect(code).toBe(0)
    expect(stdout).toMatchInlineSnapshot(`
      "fixtures/conv/model.onnx
        inputs             x float32[1×3×8×8]
        params             224 learnable (224; float32 224 (896 B))
                           + 0 buffers (BatchNorm mean/var), 0 constants, 0 unused
        size               1.151 KiB on disk (1,179 B)
        MACs               13.82 k (13,824)
        FLOPs              28.67 k (28,672)
        memory access      7.625 KiB read + written, 3.67 FLOPs/byte
        peak activations   4 KiB (footprint with weights 4.875 KiB)
        coverage           2/2 nodes counted

      node  op       MACs    FLOPs  params       read  written  output dims
      ────  ────  ───────  ───────  ──────  ─────────  ───────  ───────────
      conv  Conv  13.82 k  28.16 k     224  1.625 KiB    2 KiB  [1×8×8×8]
      relu  Relu        0      512       0      2 KiB    2 KiB  [1×8×8×8]
      "
    `)
  })

  test('labels the model with the path as given (absolute paths normalised here)', async () => {
    const { stdout } = await modelgate('analyze', resolve(ROOT, CONV))
    expect(normalise(stdout.split('\n')[0]!)).toBe('<repo>/fixtures/conv/model.onnx')
  })

  test('a dynamic batch without --dim names the unresolved symbol, the nodes that need it and the fix', async () => {
    const { code, stdout } = await modelgate('analyze', DYNAMIC)
    expect(code).toBe(0)
    expect(stdout).toMatchInlineSnapshot(`
      "fixtures/dynamic-batch-matmul/model.onnx
        inputs             x float32[N×16], a float32[N×1×4×16], b float32[3×16×5]
        params             512 learnable (512; float32 512 (2 KiB))
                           + 0 buffers (BatchNorm mean/var), 0 constants, 0 unused
        size               2.231 KiB on disk (2,285 B)
        MACs               1472*N
        FLOPs              2944*N
        memory access      688*N + 3008 B read + written
        peak activations   624*N + 960 B (footprint with weights 624*N + 3008 B)
        coverage           2/2 nodes counted
        unresolved         N (needed by proj, batched): pass --dim N=<size> or --shape

      node     op       MACs   FLOPs  params           read  written  output dims
      ───────  ──────  ─────  ──────  ──────  ─────────────  ───────  ───────────
      batched  MatMul  960*N  1920*N       0  256*N + 960 B  240*N B  [N×3×4×5]
      proj     MatMul  512*N  1024*N     512  64*N + 2048 B  128*N B  [N×32]
      "
    `)
  })

  test('--dim N=2 resolves it', async () => {
    const { stdout } = await modelgate('analyze', DYNAMIC, '--dim', 'N=2')
    expect(stdout).not.toContain('unresolved')
    expect(stdout).toContain('MACs               2.944 k (2,944)')
  })

  test('--top 0 lists every node in execution order', async () => {
    const { stdout } = await modelgate('analyze', 'fixtures/reshape-chain/model.onnx', '--top', '0', '--dim', 'N=2')
    expect(stdout.slice(stdout.indexOf('\n\n') + 2)).toMatchInlineSnapshot(`
      "node         op           MACs   FLOPs  params   read  written  output dims
      ───────────  ─────────  ──────  ──────  ──────  ─────  ───────  ───────────
      Shape_0      Shape           0       0       0  512 B     32 B  [4]
      Gather_0     Gather          0       0       0   40 B      8 B  []
      Unsqueeze_0  Unsqueeze       0       0       0   16 B      8 B  [1]
      Concat_0     Concat          0       0       0   16 B     16 B  [2]
      Reshape_0    Reshape         0       0       0  528 B    512 B  [2×64]
      fc           MatMul     1.28 k  2.56 k     640  3 KiB     80 B  [2×10]
      "
    `)
  })

  test('--top 2 lists the two nodes with the most MACs', async () => {
    const { stdout } = await modelgate('analyze', 'fixtures/constant-weights/model.onnx', '--top', '2')
    expect(stdout.slice(stdout.indexOf('\n\n') + 2)).toMatchInlineSnapshot(`
      "node  op         MACs    FLOPs  params       read  written  output dims
      ────  ──────  ───────  ───────  ──────  ─────────  ───────  ───────────
      conv  Conv    6.912 k  14.08 k     112  1.188 KiB    1 KiB  [1×4×8×8]
      fc    MatMul       40       80      40      176 B     40 B  [1×10]
      "
    `)
  })
})

describe('modelgate analyze failures: a non-zero exit and one stderr line with the code and the fix', () => {
  const failures: [string, string[], number][] = [
    ['a missing file', ['analyze', 'fixtures/missing/model.onnx'], 1],
    ['a file that is not ONNX', ['analyze', 'fixtures/conv/README.md'], 1],
    ['a bad --shape', ['analyze', CONV, '--shape', 'x=1,3,eight,8'], 2],
    ['a --shape for an input the model does not have', ['analyze', CONV, '--shape', 'image=1,3,8,8'], 1],
    ['a --dim for a symbol the model does not have', ['analyze', DYNAMIC, '--dim', 'B=2'], 1],
    ['an unknown command', ['analyse', CONV], 2],
    ['an unknown option', ['analyze', CONV, '--frobnicate'], 2],
    ['no model path', ['analyze'], 2],
  ]
  for (const [what, argv, exit] of failures) {
    test(`${what} → exit ${exit}`, async () => {
      const { code, stdout, stderr } = await modelgate(...argv)
      expect(code).toBe(exit)
      expect(stdout).toBe('')
      expect(stderr).toMatch(/^modelgate: E_[A-Z_]+: [^\n]+\n$/)
    })
  }

  test('each line names the code and ends with the fix', async () => {
    const lines: Record<string, string> = {}
    for (const [what, argv] of failures) lines[what] = normalise((await modelgate(...argv)).stderr)
    expect(lines).toMatchInlineSnapshot(`
      {
        "a --dim for a symbol the model does not have": "modelgate: E_DIM_OPTION: The model's inputs have no symbolic dim "B" (they have: N). Give dims as { symbol: positiveInteger } using the dim_param names of the model's inputs.
      ",
        "a --shape for an input the model does not have": "modelgate: E_SHAPE_OPTION: The model has no input "image" (its inputs: x). Give shapes as { inputName: [d0, d1, ...] } with positive integers and the input's rank.
      ",
        "a bad --shape": "modelgate: E_CLI_USAGE: --shape "x=1,3,eight,8" is not NAME=D0,D1,... with non-negative integers. Run \`modelgate --help\` for the commands and their options.
      ",
        "a file that is not ONNX": "modelgate: E_NOT_ONNX: <repo>/fixtures/conv/README.md is not an ONNX model: ModelProto field 4 has wire type 3, not 2. Export the model to ONNX first (torch.onnx.export, tf2onnx, paddle2onnx); modelgate reads .onnx files only.
      ",
        "a missing file": "modelgate: E_FILE_NOT_FOUND: No model file at "<repo>/fixtures/missing/model.onnx". Check the path; it is resolved against the current working directory.
      ",
        "an unknown command": "modelgate: E_CLI_USAGE: unknown command "analyse". Run \`modelgate --help\` for the commands.
      ",
        "an unknown option": "modelgate: E_CLI_USAGE: Unknown option '--frobnicate'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--frobnicate". Run \`modelgate analyze --help\` for its options.
      ",
        "no model path": "modelgate: E_CLI_USAGE: analyze takes exactly one model path, got 0. Run \`modelgate --help\` for the commands and their options.
      ",
      }
    `)
  })
})
