/** Bytes for the direct decoders' tests (fast-node, fast-tensor): messages placed as the scanned structure holds them. */

/** A copy of `bytes` inside a larger buffer, at an offset, as the scanned structure holds its messages. */
export function atOffset(bytes: Uint8Array, offset = 7): Uint8Array {
  const buffer = new Uint8Array(bytes.length + offset + 3)
  buffer.set(bytes, offset)
  return buffer.subarray(offset, offset + bytes.length)
}

/** Concatenated protobuf fields, for wire forms protobufjs's encoder does not write (unpacked, repeated scalars). */
export function raw(...parts: number[][]): Uint8Array {
  return Uint8Array.from(parts.flat())
}
