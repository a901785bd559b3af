/**
 * Random-access byte sources for the wire scanner: a model in memory, or a file read at offsets so that
 * weight payloads are skipped, never loaded.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'

/** Bytes that can be read at any offset. */
export interface ByteSource {
  readonly length: number
  /** `len` bytes at `pos`; a view that is valid until the next call. Throws RangeError past the end. */
  read(pos: number, len: number): Uint8Array
  /** A copy of `len` bytes at `pos`, valid for good. */
  copy(pos: number, len: number): Uint8Array
  close(): void
}

/** A source over bytes already in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    length: bytes.length,
    read(pos, len) {
      if (pos < 0 || len < 0 || pos + len > bytes.length) throw new RangeError(`read past the end (${pos}+${len} > ${bytes.length})`)
      return bytes.subarray(pos, pos + len)
    },
    copy(pos, len) {
      return this.read(pos, len).slice()
    },
    close() {},
  }
}

const WINDOW = 64 * 1024

/** Reads of fewer bytes than this fill this many, so that runs of small reads cost one system call. */
const MIN_FILL = 4 * 1024

/** A read that goes on at most this far past the window doubles the fill, up to {@link MAX_FILL}. */
const MAX_SKIP = 4 * 1024
const MAX_FILL = 256 * 1024

/**
 * A source over an open file. `read` keeps a window: a read outside it fills at least {@link MIN_FILL} bytes from
 * there, and twice as many as the fill before while small reads go on through the file (a run of small tensors:
 * one system call per 256 KB, not per 4 KB); {@link MIN_FILL} again after a jump (small tensors' payloads
 * scattered between big ones) or a read of {@link MIN_FILL} or more (a scanner sizes its own chunks).
 */
export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r')
  let length: number
  try {
    length = fstatSync(fd).size
  } catch (error) {
    closeSync(fd)
    throw error
  }
  let window = new Uint8Array(WINDOW)
  let windowStart = 0
  let windowEnd = 0
  let closed = false
  let fillSize = MIN_FILL
  const fill = (pos: number, len: number): void => {
    // only small reads grow the fill: a scanner sizes its own chunks
    fillSize = len < MIN_FILL && windowEnd > windowStart && pos >= windowEnd && pos - windowEnd <= MAX_SKIP ? Math.min(fillSize * 2, MAX_FILL) : MIN_FILL
    const size = Math.max(len, fillSize)
    if (window.length < size) window = new Uint8Array(size)
    const want = Math.min(size, length - pos)
    let got = 0
    while (got < want) {
      const n = readSync(fd, window, got, want - got, pos + got)
      if (n === 0) break
      got += n
    }
    windowStart = pos
    windowEnd = pos + got
  }
  return {
    length,
    read(pos, len) {
      if (pos < 0 || len < 0 || pos + len > length) throw new RangeError(`read past the end (${pos}+${len} > ${length})`)
      if (pos < windowStart || pos + len > windowEnd) fill(pos, len)
      if (pos + len > windowEnd) throw new RangeError(`the file shrank while it was read (${pos}+${len})`)
      return window.subarray(pos - windowStart, pos - windowStart + len)
    },
    copy(pos, len) {
      if (len <= WINDOW) return this.read(pos, len).slice()
      const out = new Uint8Array(len)
      let got = 0
      while (got < len) {
        const n = readSync(fd, out, got, len - got, pos + got)
        if (n === 0) throw new RangeError(`read past the end (${pos}+${len})`)
        got += n
      }
      return out
    },
    close() {
      if (!closed) closeSync(fd)
      closed = true
    },
  }
}
