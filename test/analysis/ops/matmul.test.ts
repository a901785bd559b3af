import { describe, expect, it } from 'vitest'
import { out, runOp, shapeError, t } from './_run-op.js'

describe('MatMul', () => {
  it('multiplies 2-D matrices: MACs = M·N·K', () => {
    // 3·4 outputs, K = 5: 60 MACs
    const r = runOp('MatMul', [t([3, 5]), t([5, 4])])
    expect(out(r).dims).toEqual([3, 4])
    expect(r.cost).toEqual({ macs: 60, flops: 120 })
  })

  it('promotes 1-D operands and drops the promoted dims', () => {
    expect(out(runOp('MatMul', [t([5]), t([5, 4])])).dims).toEqual([4])
    expect(out(runOp('MatMul', [t([3, 5]), t([5])])).dims).toEqual([3])
    expect(out(runOp('MatMul', [t([5]), t([5])])).dims).toEqual([])
    expect(out(runOp('MatMul', [t([2, 3, 5]), t([5])])).dims).toEqual([2, 3])
  })

  it('broadcasts batch dims and counts every batch: ∏batch·M·N·K', () => {
    // batch [2, 3]; 2·3·4·6·5 = 720 MACs
    const r = runOp('MatMul', [t([2, 1, 4, 5]), t([3, 5, 6])])
    expect(out(r).dims).toEqual([2, 3, 4, 6])
    expect(r.cost.macs).toBe(720)
  })

  it('counts activation × activation products with symbolic dims (attention scores)', () => {
    // [B, 12, S, 64] · [B, 12, 64, S]: 12·64 = 768 per (B, S, S)
    const r = runOp('MatMul', [t(['B', 12, 'S', 64]), t(['B', 12, 64, 'S'])])
    expect(out(r).dims).toEqual(['B', 12, 'S', 'S'])
    expect(r.cost).toEqual({ macs: '768*B*S*S', flops: '1536*B*S*S' })
  })

  it('rejects mismatched inner dims', () => {
    expect(shapeError(() => runOp('MatMul', [t([3, 5]), t([4, 4])])).code).toBe('E_SHAPE_INFERENCE')
  })

  it('gives MatMulInteger an int32 output and counts zero-point subtractions', () => {
    // 4·2·3 = 24 MACs; zero points: |A| = 12, |B| = 6
    const r = runOp('MatMulInteger', [t([4, 3], 'uint8'), t([3, 2], 'uint8'), t([1], 'uint8'), t([1], 'uint8')])
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'int32', dims: [4, 2] })
    expect(r.cost).toEqual({ macs: 24, flops: 48 + 18 })
  })

  it('gives QLinearMatMul the y_zero_point type and counts the requantization', () => {
    // 2·2·3·4 = 48 MACs; zero points 16 + 24; requantize 5·12
    const s = t([1])
    const zp = t([1], 'int8')
    const r = runOp('QLinearMatMul', [t([2, 2, 4], 'int8'), s, zp, t([2, 4, 3], 'int8'), s, zp, s, zp])
    expect(out(r)).toEqual({ kind: 'tensor', dtype: 'int8', dims: [2, 2, 3] })
    expect(r.cost).toEqual({ macs: 48, flops: 96 + 40 + 60 })
  })
})

describe('Gemm', () => {
  it('transposes A and B and counts alpha, C and beta in FLOPs only', () => {
    // A [4, 3]ᵀ · B [5, 4]ᵀ = [3, 5]: 3·5·4 = 60 MACs; alpha, + C, beta: 3·15
    const r = runOp('Gemm', [t([4, 3]), t([5, 4]), t([1, 5])], { transA: 1, transB: 1, alpha: { float: 0.25 }, beta: { float: 0.35 } })
    expect(out(r).dims).toEqual([3, 5])
    expect(r.cost).toEqual({ macs: 60, flops: 120 + 45 })
  })

  it('counts a Linear layer as in·out MACs and the bias as out FLOPs', () => {
    // ResNet-50's fc: 2048·1000 = 2048000 MACs, 1000 bias adds
    const r = runOp('Gemm', [t([1, 2048]), t([1000, 2048]), t([1000])], { transB: 1 })
    expect(r.cost).toEqual({ macs: 2048000, flops: 4097000 })
  })

  it('works without C and with a symbolic batch', () => {
    const r = runOp('Gemm', [t(['N', 10]), t([10, 3])])
    expect(out(r).dims).toEqual(['N', 3])
    expect(r.cost).toEqual({ macs: '30*N', flops: '60*N' })
  })

  it('rejects a C that does not broadcast to [M, N]', () => {
    expect(shapeError(() => runOp('Gemm', [t([2, 3]), t([3, 4]), t([3])])).code).toBe('E_SHAPE_INFERENCE')
  })

  it('rejects a 3-D A', () => {
    expect(shapeError(() => runOp('Gemm', [t([2, 2, 3]), t([3, 4])])).code).toBe('E_SHAPE_INFERENCE')
  })
})

describe('com.microsoft::FusedMatMul', () => {
  const ms = { domain: 'com.microsoft', opset: 1 }

  it('applies transA/transB to the last two dims and alpha as FLOPs', () => {
    // [2, 5, 3]ᵀ → [2, 3, 5]; [4, 5]ᵀ → [5, 4]: 2·3·4·5 = 120 MACs, 24 alpha products
    const r = runOp('FusedMatMul', [t([2, 5, 3]), t([4, 5])], { transA: 1, transB: 1, alpha: { float: 0.5 } }, ms)
    expect(out(r).dims).toEqual([2, 3, 4])
    expect(r.cost).toEqual({ macs: 120, flops: 240 + 24 })
  })

  it('moves the leading dim into the row slot with transBatchA', () => {
    // A [3, 2, 4] read as [2, 3, 4]
    const r = runOp('FusedMatMul', [t([3, 2, 4]), t([2, 4, 6])], { transBatchA: 1 }, ms)
    expect(out(r).dims).toEqual([2, 3, 6])
  })
})

describe('Einsum', () => {
  it('contracts a batched matmul: MACs = product of all distinct subscript sizes', () => {
    // b=5, i=2, j=3, k=4: 120 MACs
    const r = runOp('Einsum', [t([5, 2, 3]), t([5, 3, 4])], { equation: 'bij, bjk -> bik' })
    expect(out(r).dims).toEqual([5, 2, 4])
    expect(r.cost).toEqual({ macs: 120, flops: 240 })
  })

  it('infers the implicit output: the letters used once, sorted', () => {
    expect(out(runOp('Einsum', [t([3, 4]), t([4, 5])], { equation: 'ij,jk' })).dims).toEqual([3, 5])
    expect(out(runOp('Einsum', [t([5]), t([5])], { equation: 'i,i' })).dims).toEqual([])
    expect(out(runOp('Einsum', [t([3, 4])], { equation: 'ji' })).dims).toEqual([4, 3])
  })

  it('broadcasts ellipsis dims and takes diagonals', () => {
    expect(out(runOp('Einsum', [t([3, 5, 5])], { equation: '...ii ->...i' })).dims).toEqual([3, 5])
    expect(out(runOp('Einsum', [t([2, 1, 3, 4]), t([7, 4, 6])], { equation: '...ij,...jk->...ik' })).dims).toEqual([2, 7, 3, 6])
  })

  it('counts a single-operand reduction as additions only', () => {
    // ij->i over 3×4: 12 − 3 = 9 adds
    expect(runOp('Einsum', [t([3, 4])], { equation: 'ij->i' }).cost).toEqual({ macs: 0, flops: 9 })
    expect(runOp('Einsum', [t([3, 4])], { equation: 'ij->ji' }).cost).toEqual({ macs: 0, flops: 0 })
  })

  it('contracts three operands pairwise, left to right', () => {
    // ij,jk: i=2,j=3,k=4 → 24 MACs, keeps ik; ik,kl: l=5 → 2·4·5 = 40 MACs
    const r = runOp('Einsum', [t([2, 3]), t([3, 4]), t([4, 5])], { equation: 'ij,jk,kl->il' })
    expect(out(r).dims).toEqual([2, 5])
    expect(r.cost.macs).toBe(64)
  })

  it('rejects an operand whose rank differs from its subscripts', () => {
    expect(shapeError(() => runOp('Einsum', [t([3, 4, 5])], { equation: 'ij->i' })).code).toBe('E_SHAPE_INFERENCE')
  })
})
