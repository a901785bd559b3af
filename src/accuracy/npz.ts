/**
 * Reads NumPy `.npz` archives (np.savez / np.savez_compressed): a zip file of `.npy` members, stored or deflated.
 * Sizes and offsets come from the central directory (numpy writes its local headers with zip64 placeholders).
 */
import { inflateRawSync } from 'node:zlib'
import { decodeNpy, type NpyArray } from '../bench/npy.js'
import { ModelgateError } from '../errors.js'

function fail(file: string, why: string, cause?: unknown): never {
  throw new ModelgateError('E_DATASET_FORMAT', `Cannot read the .npz archive ${JSON.stringify(file)}: ${why}.`, { file, value: file, cause })
}

const MAX = 0xffffffff

interface Member {
  readonly name: string
  readonly method: number
  readonly compressedSize: number
  readonly localOffset: number
}

function zip64Extra(view: DataView, at: number, length: number, wanted: { size: boolean; compressed: boolean; offset: boolean }): { size?: number; compressed?: number; offset?: number } {
  for (let p = at; p + 4 <= at + length;) {
    const id = view.getUint16(p, true)
    const len = view.getUint16(p + 2, true)
    if (id === 0x0001) {
      let q = p + 4
      const out: { size?: number; compressed?: number; offset?: number } = {}
      if (wanted.size) (out.size = Number(view.getBigUint64(q, true))), (q += 8)
      if (wanted.compressed) (out.compressed = Number(view.getBigUint64(q, true))), (q += 8)
      if (wanted.offset) out.offset = Number(view.getBigUint64(q, true))
      return out
    }
    p += 4 + len
  }
  return {}
}

function centralDirectory(bytes: Uint8Array, file: string): Member[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let eocd = -1
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === 0x06054b50) {
      eocd = p
      break
    }
  }
  if (eocd < 0) fail(file, 'it is not a zip archive')
  let count = view.getUint16(eocd + 10, true)
  let offset = view.getUint32(eocd + 16, true)
  if ((offset === MAX || count === 0xffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const record = Number(view.getBigUint64(eocd - 12, true))
    if (record + 56 > bytes.length || view.getUint32(record, true) !== 0x06064b50) fail(file, 'its zip64 directory is damaged')
    count = Number(view.getBigUint64(record + 32, true))
    offset = Number(view.getBigUint64(record + 48, true))
  }
  const members: Member[] = []
  let p = offset
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) fail(file, 'its central directory is damaged')
    const method = view.getUint16(p + 10, true)
    let compressedSize = view.getUint32(p + 20, true)
    const size = view.getUint32(p + 24, true)
    const nameLength = view.getUint16(p + 28, true)
    const extraLength = view.getUint16(p + 30, true)
    const commentLength = view.getUint16(p + 32, true)
    let localOffset = view.getUint32(p + 42, true)
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength))
    if (compressedSize === MAX || size === MAX || localOffset === MAX) {
      const z = zip64Extra(view, p + 46 + nameLength, extraLength, { size: size === MAX, compressed: compressedSize === MAX, offset: localOffset === MAX })
      compressedSize = z.compressed ?? compressedSize
      localOffset = z.offset ?? localOffset
    }
    members.push({ name, method, compressedSize, localOffset })
    p += 46 + nameLength + extraLength + commentLength
  }
  return members
}

/**
 * Decodes every `.npy` member of an `.npz` archive.
 * @param bytes the archive
 * @param file its path, for messages
 * @returns arrays by name (the member name without `.npy`)
 * @throws ModelgateError E_DATASET_FORMAT for a damaged archive, E_NPY_DECODE for a damaged member
 */
export function decodeNpz(bytes: Uint8Array, file: string): Map<string, NpyArray> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const arrays = new Map<string, NpyArray>()
  for (const m of centralDirectory(bytes, file)) {
    if (!m.name.endsWith('.npy')) continue
    const at = m.localOffset
    if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) fail(file, `the member ${m.name} is damaged`)
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true)
    const packed = bytes.subarray(start, start + m.compressedSize)
    if (packed.length < m.compressedSize) fail(file, `the member ${m.name} is truncated`)
    let data: Uint8Array
    if (m.method === 0) data = packed
    else if (m.method === 8) {
      try {
        data = inflateRawSync(packed)
      } catch (error) {
        fail(file, `the member ${m.name} does not inflate`, error)
      }
    } else fail(file, `the member ${m.name} uses zip compression method ${m.method} (only stored and deflate are read)`)
    arrays.set(m.name.slice(0, -4), decodeNpy(data, `${file}:${m.name}`))
  }
  return arrays
}
