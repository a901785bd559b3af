/**
 * Width and height of an encoded image read from its header (for ImageDecoder): PNG, JPEG, BMP, PNM, TIFF, WebP and
 * JPEG 2000. Only the header is parsed; undefined when the format is not recognized or the header is truncated.
 */

/** Image size in pixels. */
export interface ImageSize {
  readonly width: number
  readonly height: number
}

type Bytes = readonly number[]

function be16(b: Bytes, i: number): number | undefined {
  const [x, y] = [b[i], b[i + 1]]
  return x === undefined || y === undefined ? undefined : (x << 8) | y
}

function le16(b: Bytes, i: number): number | undefined {
  const [x, y] = [b[i], b[i + 1]]
  return x === undefined || y === undefined ? undefined : x | (y << 8)
}

function be32(b: Bytes, i: number): number | undefined {
  const [hi, lo] = [be16(b, i), be16(b, i + 2)]
  return hi === undefined || lo === undefined ? undefined : hi * 65536 + lo
}

function le32(b: Bytes, i: number): number | undefined {
  const [lo, hi] = [le16(b, i), le16(b, i + 2)]
  return lo === undefined || hi === undefined ? undefined : hi * 65536 + lo
}

function le24(b: Bytes, i: number): number | undefined {
  const [lo, hi] = [le16(b, i), b[i + 2]]
  return lo === undefined || hi === undefined ? undefined : hi * 65536 + lo
}

function startsWith(b: Bytes, at: number, sig: readonly number[]): boolean {
  return sig.every((v, i) => b[at + i] === v)
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0))
}

function size(width: number | undefined, height: number | undefined): ImageSize | undefined {
  return width === undefined || height === undefined || width <= 0 || height <= 0 ? undefined : { width, height }
}

function png(b: Bytes): ImageSize | undefined {
  // signature, then the IHDR chunk: length, 'IHDR', width, height (big-endian)
  if (!startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || !startsWith(b, 12, ascii('IHDR'))) return undefined
  return size(be32(b, 16), be32(b, 20))
}

/** SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])

function jpeg(b: Bytes): ImageSize | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined
  let i = 2
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return undefined
    const marker = b[i + 1]!
    // fill bytes and stand-alone markers (TEM, RSTn) have no length
    if (marker === 0xff) { i++; continue }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue }
    const length = be16(b, i + 2)
    if (length === undefined || length < 2) return undefined
    // segment: length, precision, height, width
    if (JPEG_SOF.has(marker)) return size(be16(b, i + 7), be16(b, i + 5))
    i += 2 + length
  }
  return undefined
}

function bmp(b: Bytes): ImageSize | undefined {
  if (!startsWith(b, 0, ascii('BM'))) return undefined
  const dib = le32(b, 14)
  // BITMAPCOREHEADER has 16-bit sizes; the later headers 32-bit, the height negative for top-down bitmaps
  if (dib === 12) return size(le16(b, 18), le16(b, 20))
  const height = le32(b, 22)
  return size(le32(b, 18), height === undefined ? undefined : Math.abs(height >= 2 ** 31 ? height - 2 ** 32 : height))
}

function pnm(b: Bytes): ImageSize | undefined {
  // P1…P6: magic, then width and height as ASCII decimals separated by whitespace and # comments
  if (b[0] !== 0x50 || b[1] === undefined || b[1] < 0x31 || b[1] > 0x36) return undefined
  const numbers: number[] = []
  let i = 2
  while (numbers.length < 2 && i < b.length) {
    const c = b[i]!
    if (c === 0x23) {
      while (i < b.length && b[i] !== 0x0a && b[i] !== 0x0d) i++
    } else if (c >= 0x30 && c <= 0x39) {
      let n = 0
      while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) n = n * 10 + (b[i++]! - 0x30)
      numbers.push(n)
      continue
    } else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
      return undefined
    }
    i++
  }
  return size(numbers[0], numbers[1])
}

function tiff(b: Bytes): ImageSize | undefined {
  const little = startsWith(b, 0, [0x49, 0x49, 0x2a, 0x00])
  if (!little && !startsWith(b, 0, [0x4d, 0x4d, 0x00, 0x2a])) return undefined
  const u16 = little ? le16 : be16
  const u32 = little ? le32 : be32
  const ifd = u32(b, 4)
  const count = ifd === undefined ? undefined : u16(b, ifd)
  if (ifd === undefined || count === undefined) return undefined
  let width: number | undefined
  let height: number | undefined
  for (let e = 0; e < count; e++) {
    const at = ifd + 2 + 12 * e
    const [tag, type] = [u16(b, at), u16(b, at + 2)]
    // ImageWidth (256) / ImageLength (257), SHORT (3) or LONG (4), stored in the value field
    const value = type === 3 ? u16(b, at + 8) : type === 4 ? u32(b, at + 8) : undefined
    if (tag === 256) width = value
    if (tag === 257) height = value
  }
  return size(width, height)
}

function webp(b: Bytes): ImageSize | undefined {
  if (!startsWith(b, 0, ascii('RIFF')) || !startsWith(b, 8, ascii('WEBP'))) return undefined
  if (startsWith(b, 12, ascii('VP8 '))) {
    // lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height
    if (!startsWith(b, 23, [0x9d, 0x01, 0x2a])) return undefined
    const [w, h] = [le16(b, 26), le16(b, 28)]
    return size(w === undefined ? undefined : w & 0x3fff, h === undefined ? undefined : h & 0x3fff)
  }
  if (startsWith(b, 12, ascii('VP8L'))) {
    // lossless: signature 0x2F, then (width − 1) and (height − 1) as 14-bit fields
    const bits = b[20] === 0x2f ? le32(b, 21) : undefined
    if (bits === undefined) return undefined
    return size((bits & 0x3fff) + 1, (Math.floor(bits / 2 ** 14) & 0x3fff) + 1)
  }
  if (startsWith(b, 12, ascii('VP8X'))) {
    // extended: flags (4 bytes), then the canvas (width − 1) and (height − 1) as 24-bit fields
    const [w, h] = [le24(b, 24), le24(b, 27)]
    return size(w === undefined ? undefined : w + 1, h === undefined ? undefined : h + 1)
  }
  return undefined
}

function jpeg2000(b: Bytes): ImageSize | undefined {
  // JP2 file: the 'ihdr' box of the 'jp2h' header (height, width); raw codestream: the SIZ marker segment
  if (startsWith(b, 0, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) {
    const ihdr = ascii('ihdr')
    for (let i = 8; i + 12 <= b.length; i++) {
      if (startsWith(b, i, ihdr)) return size(be32(b, i + 8), be32(b, i + 4))
    }
    return undefined
  }
  if (startsWith(b, 0, [0xff, 0x4f, 0xff, 0x51])) {
    // SIZ: Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz
    const [x, y, xo, yo] = [be32(b, 8), be32(b, 12), be32(b, 16), be32(b, 20)]
    if (x === undefined || y === undefined || xo === undefined || yo === undefined) return undefined
    return size(x - xo, y - yo)
  }
  return undefined
}

/** The size of an encoded image, or undefined when its format is unknown or its header truncated. */
export function imageSize(bytes: readonly number[]): ImageSize | undefined {
  for (const parse of [png, jpeg, bmp, pnm, tiff, webp, jpeg2000]) {
    const s = parse(bytes)
    if (s !== undefined) return s
  }
  return undefined
}
