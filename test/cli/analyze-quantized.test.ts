import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { floatConvMlp, qdqConvMlp } from '../../fixtures/quantized/index.js'
import { tiedHeadModel } from '../../fixtures/tied/index.js'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/run.js'

const DIR = mkdtempSync(join(tmpdir(), 'modelgate-cli-quant-'))
writeFileSync(join(DIR, 'float.onnx'), floatConvMlp())
writeFileSync(join(DIR, 'qdq.onnx'), qdqConvMlp({ dtype: 'int8', perChannel: true }))
writeFileSync(join(DIR, 'tied.onnx'), tiedHeadModel('transposed'))
afterAll(() => rmSync(DIR, { recursive: true, force: true }))

async function modelgate(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = ''
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: DIR, env: {} }
  const code = await runCli(argv, io)
  return { code, stdout }
}

const lines = (stdout: string, from: string, to: string): string => stdout.slice(stdout.indexOf(from), stdout.indexOf(to))

describe('modelgate analyze on quantized and tied models', () => {
  test('a float32 model prints no bits/weight line', async () => {
    expect((await modelgate('analyze', 'float.onnx')).stdout).not.toContain('bits/weight')
  })

  test('a QDQ model prints its bits per weight, with and without the metadata counted apart', async () => {
    const { code, stdout } = await modelgate('analyze', 'qdq.onnx')
    expect(code).toBe(0)
    // (5,336 + 72) × 8 ÷ 5,354 = 8.08; with the 172 metadata bytes: (5,408 + 172) × 8 ÷ 5,354 = 8.34
    expect(lines(stdout, '  params', '  size')).toMatchInlineSnapshot(`
      "  params             5.354 k learnable (5,354; int8 5,336 (5.211 KiB), int32 18 (72 B))
                           + 0 buffers (BatchNorm mean/var), 2 constants, 0 unused
        bits/weight        8.08 (weight bytes × 8 ÷ learnable); 8.34 with the 58 scales and zero points (172 B, not params)
      "
    `)
  })

  test('without --dedupe-weights the candidates are named; with it the tied head is counted once', async () => {
    const before = await modelgate('analyze', 'tied.onnx')
    expect(lines(before.stdout, '  params', '  size')).toMatchInlineSnapshot(`
      "  params             2.128 k learnable (2,128; float32 2,128 (8.313 KiB))
                           + 0 buffers (BatchNorm mean/var), 0 constants, 0 unused
        tied weights       not checked: 4 learnable tensors share a shape (or its transpose) with another;
                           --dedupe-weights reads and compares them
      "
    `)
    const after = await modelgate('analyze', 'tied.onnx', '--dedupe-weights')
    expect(lines(after.stdout, '  params', '  size')).toMatchInlineSnapshot(`
      "  params             1.328 k learnable (1,328; float32 1,328 (5.188 KiB))
                           + 0 buffers (BatchNorm mean/var), 0 constants, 0 unused
        tied weights       1 copy counted once (800 params not counted again): head.weight = embed.weightᵀ (tied embedding)
      "
    `)
    const json = JSON.parse((await modelgate('analyze', 'tied.onnx', '--dedupe-weights', '--json')).stdout) as { params: { learnable: number; tied: { elements: number } } }
    expect(json.params).toMatchObject({ learnable: 1_328, tied: { elements: 800 } })
  })
})
