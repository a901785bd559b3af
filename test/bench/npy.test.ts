import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeNpy, readNpy } from '../../src/bench/npy.js'
import { bytesOf, npy } from './npy-file.js'


describe('reading .npy files', () => {
  it('reads a float32 array with its shape', () => {
    const a = decodeNpy(npy('<f4', [2, 3], bytesOf(Float32Array.from([1, 2, 3, 4, 5, 6.5]))))
    expect(a.dtype).toBe('float32')
    expect(a.dims).toEqual([2, 3])
    expect(a.data).toBeInstanceOf(Float32Array)
    expect([...(a.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6.5])
  })

  it('maps every NumPy type code to the binding dtype and array class', () => {
    const cases: [string, string, ArrayBufferView, string][] = [
      ['<f8', 'float64', Float64Array.from([1.5]), 'Float64Array'],
      ['<f2', 'float16', Uint16Array.from([0x3c00]), 'Uint16Array'],
      ['|i1', 'int8', Int8Array.from([-3]), 'Int8Array'],
      ['<i2', 'int16', Int16Array.from([-300]), 'Int16Array'],
      ['<i4', 'int32', Int32Array.from([-70000]), 'Int32Array'],
      ['<i8', 'int64', BigInt64Array.from([-5n]), 'BigInt64Array'],
      ['|u1', 'uint8', Uint8Array.from([200]), 'Uint8Array'],
      ['<u2', 'uint16', Uint16Array.from([60000]), 'Uint16Array'],
      ['<u4', 'uint32', Uint32Array.from([4e9]), 'Uint32Array'],
      ['<u8', 'uint64', BigUint64Array.from([7n]), 'BigUint64Array'],
      ['|b1', 'bool', Uint8Array.from([1]), 'Uint8Array'],
    ]
    for (const [descr, dtype, data, cls] of cases) {
      const a = decodeNpy(npy(descr, [1], bytesOf(data)))
      expect([descr, a.dtype, a.data.constructor.name, a.data[0]]).toEqual([descr, dtype, cls, (data as unknown as ArrayLike<unknown>)[0]])
    }
  })

  it('reads fixed-width unicode as strings, and a 0-d array as one element', () => {
    const chars = new Uint32Array(2 * 3)
    ;['hi', 'abc'].forEach((s, i) => [...s].forEach((c, j) => (chars[i * 3 + j] = c.codePointAt(0) ?? 0)))
    expect(decodeNpy(npy('<U3', [2], bytesOf(chars)))).toEqual({ dtype: 'string', dims: [2], data: ['hi', 'abc'] })
    expect(decodeNpy(npy('<f4', [], bytesOf(Float32Array.from([2]))))).toMatchObject({ dims: [], data: Float32Array.from([2]) })
  })

  it('reads format versions 2 and 3 (4-byte header length)', () => {
    expect(decodeNpy(npy('<i4', [1], bytesOf(Int32Array.from([9])), { version: 2 })).data[0]).toBe(9)
    expect(decodeNpy(npy('<i4', [1], bytesOf(Int32Array.from([9])), { version: 3 })).data[0]).toBe(9)
  })

  it('refuses what it cannot read with E_NPY_DECODE', () => {
    const bad = [
      new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      npy('>f4', [1], new Uint8Array(4)),
      npy('<f4', [2], new Uint8Array(4)),
      npy('<c8', [1], new Uint8Array(8)),
      npy('<f4', [1], new Uint8Array(4), { fortran: true }),
    ]
    for (const bytes of bad) expect(() => decodeNpy(bytes, 'x.npy')).toThrow(expect.objectContaining({ code: 'E_NPY_DECODE' }))
  })

  describe('from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-npy-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('reads a file, and a missing one is E_FILE_NOT_FOUND', () => {
      const path = join(dir, 'x.npy')
      writeFileSync(path, npy('<f4', [1, 2], bytesOf(Float32Array.from([1, 2]))))
      expect(readNpy(path).dims).toEqual([1, 2])
      expect(() => readNpy(join(dir, 'missing.npy'))).toThrow(expect.objectContaining({ code: 'E_FILE_NOT_FOUND' }))
    })
  })
})
