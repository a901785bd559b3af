import { describe, expect, it } from 'vitest'
import { buildFeeds, float16Bits, resolveInputs, seededTensor } from '../../src/bench/inputs.js'
import type { ValueSignature } from '../../src/bench/types.js'

describe('seeded input tensors', () => {
  it('gives every dtype of the Node binding its array class, deterministically', () => {
    const expected: Record<string, string> = {
      float32: 'Float32Array', float64: 'Float64Array', float16: 'Uint16Array', int8: 'Int8Array', int16: 'Int16Array',
      int32: 'Int32Array', int64: 'BigInt64Array', uint8: 'Uint8Array', uint16: 'Uint16Array', uint32: 'Uint32Array',
      uint64: 'BigUint64Array', bool: 'Uint8Array', string: 'Array',
    }
    for (const [dtype, cls] of Object.entries(expected)) {
      const t = seededTensor({ name: 'x', dtype, dims: [2, 3] })
      expect([dtype, t.data.constructor.name, t.data.length, t.dims]).toEqual([dtype, cls, 6, [2, 3]])
      expect(seededTensor({ name: 'x', dtype, dims: [2, 3] })).toEqual(t)
    }
  })

  it('floats lie in [-1, 1), integers in [0, 8), bools are 0/1, strings are tokens', () => {
    const f = seededTensor({ name: 'x', dtype: 'float32', dims: [1000] }).data as Float32Array
    expect(Math.min(...f)).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...f)).toBeLessThan(1)
    const i = seededTensor({ name: 'ids', dtype: 'int64', dims: [1000] }).data as BigInt64Array
    expect(new Set([...i].map(Number))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]))
    expect(new Set(seededTensor({ name: 'm', dtype: 'bool', dims: [100] }).data as Uint8Array)).toEqual(new Set([0, 1]))
    expect((seededTensor({ name: 's', dtype: 'string', dims: [3] }).data as string[]).every((s) => /^token[0-7]$/.test(s))).toBe(true)
  })

  it('differs by input name and by seed', () => {
    const a = seededTensor({ name: 'a', dtype: 'float32', dims: [4] }).data
    expect(seededTensor({ name: 'b', dtype: 'float32', dims: [4] }).data).not.toEqual(a)
    expect(seededTensor({ name: 'a', dtype: 'float32', dims: [4] }, 1).data).not.toEqual(a)
  })

  it('refuses a dtype the binding cannot pass with E_RUN_INPUT', () => {
    expect(() => seededTensor({ name: 'x', dtype: 'bfloat16', dims: [1] })).toThrow(expect.objectContaining({ code: 'E_RUN_INPUT' }))
  })

  it('float16 bit patterns match IEEE 754 half precision', () => {
    expect([1, -2, 0.5, 0, 65504, 1e6, 2 ** -24, 1 / 3].map(float16Bits)).toEqual([0x3c00, 0xc000, 0x3800, 0, 0x7bff, 0x7c00, 0x0001, 0x3555])
  })
})

describe('resolving the inputs of a run', () => {
  const sig: ValueSignature[] = [
    { name: 'x', dtype: 'float32', dims: ['N', 16] },
    { name: 'a', dtype: 'float32', dims: ['N', 'S'] },
  ]

  it('sets the leading symbolic dims to the batch; other symbols come from dims', () => {
    expect(() => resolveInputs(sig, 4, {})).toThrow(expect.objectContaining({ code: 'E_UNRESOLVED_DIM' }))
    const r = resolveInputs([sig[0]!, { name: 'a', dtype: 'float32', dims: ['N', 7] }], 4, {})
    expect(r).toEqual({ batch: 4, specs: [{ name: 'x', dtype: 'float32', dims: [4, 16] }, { name: 'a', dtype: 'float32', dims: [4, 7] }], symbols: { N: 4 } })
  })

  it('defaults a symbolic batch to 1', () => {
    expect(resolveInputs([sig[0]!], undefined, {}).specs[0]?.dims).toEqual([1, 16])
  })

  it('binds symbols from user tensors, batch included', () => {
    const user = { a: { data: new Float32Array(6), dims: [2, 3] } }
    const r = resolveInputs(sig, undefined, user)
    expect([r.batch, r.specs.map((s) => s.dims)]).toEqual([2, [[2, 16], [2, 3]]])
  })

  it('takes a fixed leading dim as the batch, and refuses another batch with E_BENCH_OPTION', () => {
    const fixed: ValueSignature[] = [{ name: 'x', dtype: 'float32', dims: [3, 16] }]
    expect(resolveInputs(fixed, undefined, {}).batch).toBe(3)
    expect(resolveInputs(fixed, 3, {}).batch).toBe(3)
    expect(() => resolveInputs(fixed, 8, {})).toThrow(expect.objectContaining({ code: 'E_BENCH_OPTION' }))
    expect(() => resolveInputs(fixed, 0, {})).toThrow(expect.objectContaining({ code: 'E_BENCH_OPTION' }))
  })

  it('refuses a non-tensor input with E_RUN_INPUT', () => {
    expect(() => resolveInputs([{ name: 'seq', dtype: 'sequence', dims: [] }], undefined, {})).toThrow(expect.objectContaining({ code: 'E_RUN_INPUT' }))
  })

  it('feeds user tensors where given and seeded ones elsewhere', () => {
    const user = { x: { data: new Float32Array(16), dims: [1, 16] } }
    const feeds = buildFeeds([{ name: 'x', dtype: 'float32', dims: [1, 16] }, { name: 'y', dtype: 'int32', dims: [2] }], user, 0)
    expect(feeds.x).toBe(user.x)
    expect(feeds.y?.data).toBeInstanceOf(Int32Array)
  })
})
