/**
 * A reader of protobuf fields inside one buffer, for the direct decoders (fast-node.ts, fast-tensor.ts): it reads
 * what they handle and turns `ok` false at the first thing they do not, so that protobufjs decodes that message
 * instead and gives the same result or the exact error.
 */
import { keepHiddenClass } from '../_hidden-classes.js'

/**
 * Reads fields of the messages inside one buffer; `ok` turns false at the first thing the decoder reading them does
 * not handle. Positions are offsets in the whole ArrayBuffer.
 */
export class WireReader {
  pos = 0
  ok = true
  readonly bytes: Uint8Array
  private readonly text: Buffer
  private readonly view: DataView
  constructor(buffer: ArrayBufferLike) {
    this.bytes = new Uint8Array(buffer)
    this.text = Buffer.from(buffer)
    this.view = new DataView(buffer)
  }

  /** An unsigned varint of at most 7 bytes (< 2^49), the length of a field or a key. */
  uint(end: number): number {
    const b = this.bytes
    let value = 0
    let mul = 1
    for (let i = 0; i < 7 && this.pos < end; i++) {
      const byte = b[this.pos++]!
      value += (byte & 0x7f) * mul
      if (byte < 0x80) return value
      mul *= 128
    }
    this.ok = false
    return 0
  }

  /** An int64 varint as a safe integer (negative values take ten bytes); flags anything past 2^53. */
  int64(end: number): number {
    const b = this.bytes
    let lo = 0
    let hi = 0
    let shift = 0
    for (let i = 0; i < 10 && this.pos < end; i++) {
      const byte = b[this.pos++]!
      if (shift < 28) lo |= (byte & 0x7f) << shift
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28
        hi |= (byte & 0x7f) >>> 4
      } else hi |= (byte & 0x7f) << (shift - 32)
      shift += 7
      if (byte < 0x80) {
        const value = (hi | 0) * 4294967296 + (lo >>> 0)
        if (!Number.isSafeInteger(value)) this.ok = false
        return value
      }
    }
    this.ok = false
    return 0
  }

  float(end: number): number {
    const p = this.pos
    this.pos += 4
    if (this.pos > end) {
      this.ok = false
      return 0
    }
    return this.view.getFloat32(p, true)
  }

  /** A UTF-8 string of `length` bytes; flags bytes that are not valid UTF-8. */
  string(length: number): string {
    const start = this.pos
    this.pos += length
    if (length === 0) return ''
    const s = this.text.toString('utf8', start, this.pos)
    if (s.includes('\uFFFD')) this.ok = false
    return s
  }

  /** The bytes at [start, end) as a latin1 string (one char per byte): a key for identical bytes. */
  latin1(start: number, end: number): string {
    return this.text.toString('latin1', start, end)
  }

  /** Skips a field of wire type `wireType`. */
  skip(wireType: number, end: number): void {
    if (wireType === 0) this.int64(end)
    else if (wireType === 1) this.pos += 8
    else if (wireType === 5) this.pos += 4
    else if (wireType === 2) {
      const length = this.uint(end)
      this.pos += length
    }
    else this.ok = false
  }
}
keepHiddenClass(() => new WireReader(new ArrayBuffer(0)))
