/**
 * The wire scanner's quick check of a node: does any of its attributes hold a tensor or a graph (whose payloads
 * the scanner must skip)? One tight loop over the node's bytes when they lie in the scanner's buffer; the
 * scanner's generic path reads whatever this check finds unusual. Field numbers are those of onnx/onnx.proto.
 */

/** AttributeProto fields that hold a tensor, a graph or a sparse tensor (the fields `DESCEND.attribute` in wire.ts lists). */
const ATTRIBUTE_NESTED = new Set([5, 6, 10, 11, 22, 23])

/** The byte after the varint {@link shortVarint} read last. */
let shortVarintEnd = 0

/** The varint at `b[pos]` when it has at most five bytes and ends before `end` (a length), else -1. */
function shortVarint(b: Uint8Array, pos: number, end: number): number {
  let value = 0
  for (let i = 0; i < 5 && pos < end; i++) {
    const byte = b[pos++]!
    value += (byte & 0x7f) * 2 ** (7 * i)
    if (byte < 0x80) {
      shortVarintEnd = pos
      return value
    }
  }
  return -1
}

/**
 * Whether the NodeProto at `b[start, end)` has no attribute that holds a tensor or a graph (the scanner then keeps
 * it as it is); undefined for anything unusual (a key or length of more than five bytes, a field running past
 * its message, an unknown wire type): the scanner's generic path then reads it.
 */
export function plainNodeBytes(b: Uint8Array, start: number, end: number): boolean | undefined {
  let pos = start
  while (pos < end) {
    const key = b[pos++]!
    // NodeProto's fields (1..11) and AttributeProto's have one-byte keys
    if (key >= 0x80 || key < 8) return undefined
    const wireType = key & 7
    if (wireType === 0) {
      while (pos < end && b[pos]! >= 0x80) pos++
      pos++
    } else if (wireType === 2) {
      const len = shortVarint(b, pos, end)
      if (len < 0) return undefined
      pos = shortVarintEnd
      if (pos + len > end) return undefined
      if (key >>> 3 === 5) {
        const attribute = plainAttributeBytes(b, pos, pos + len)
        if (attribute !== true) return attribute
      }
      pos += len
    } else if (wireType === 1) pos += 8
    else if (wireType === 5) pos += 4
    else return undefined
  }
  return pos === end ? true : undefined
}

/** Whether the AttributeProto at `b[start, end)` holds no tensor or graph; undefined for anything unusual. */
function plainAttributeBytes(b: Uint8Array, start: number, end: number): boolean | undefined {
  let pos = start
  while (pos < end) {
    const key = b[pos++]!
    let field = key >>> 3
    let wireType = key & 7
    if (key >= 0x80) {
      // fields 16..23 (type, sparse tensors, type protos) take two-byte keys
      if (pos >= end || b[pos]! >= 0x80) return undefined
      field = ((key & 0x7f) >>> 3) | (b[pos++]! << 4)
      wireType = key & 7
    }
    if (field === 0) return undefined
    if (wireType === 0) {
      while (pos < end && b[pos]! >= 0x80) pos++
      pos++
    } else if (wireType === 2) {
      if (ATTRIBUTE_NESTED.has(field)) return false
      const len = shortVarint(b, pos, end)
      if (len < 0) return undefined
      pos = shortVarintEnd
      pos += len
    } else if (wireType === 1) pos += 8
    else if (wireType === 5) pos += 4
    else return undefined
  }
  return pos === end ? true : undefined
}
