/**
 * Writes .npy bytes for the runner's tests.
 */

/** A .npy file as NumPy writes it: magic, version, header length, a padded dict header, the data. */
export function npy(descr: string, shape: readonly number[], data: Uint8Array, options: { version?: 1 | 2 | 3; fortran?: boolean } = {}): Uint8Array {
  const version = options.version ?? 1
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  let header = `{'descr': '${descr}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`
  const prefix = version === 1 ? 10 : 12
  header += ' '.repeat(64 - ((prefix + header.length + 1) % 64)) + '\n'
  const head = new Uint8Array(prefix + header.length)
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0])
  const view = new DataView(head.buffer)
  if (version === 1) view.setUint16(8, header.length, true)
  else view.setUint32(8, header.length, true)
  head.set(new TextEncoder().encode(header), prefix)
  const out = new Uint8Array(head.length + data.length)
  out.set(head)
  out.set(data, head.length)
  return out
}

/** The bytes of a typed array. */
export const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
