/**
 * Reads a segmentation mask PNG as label values, without any colour conversion: palette PNGs (Pascal VOC style)
 * give their palette INDEX, grey PNGs their grey value (8 or 16 bit). General image decoders expand palettes into
 * colours, which loses the labels — hence this small reader (non-interlaced PNGs, node:zlib for inflate).
 */
import { inflateSync } from 'node:zlib'
import { ModelgateError } from '../errors.js'

/** A label map: one value per pixel, row-major. */
export interface LabelMap {
  readonly width: number
  readonly height: number
  readonly labels: Uint16Array
}

function fail(file: string, why: string): ModelgateError {
  return new ModelgateError('E_IMAGE_DECODE', `Cannot read the mask ${JSON.stringify(file)}: ${why}.`, { file, value: file })
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Undoes the per-row PNG filters in place; returns the unfiltered rows without their filter bytes. */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, file: string): Uint8Array {
  if (raw.length < height * (stride + 1)) throw fail(file, 'the image data is shorter than its header says')
  const out = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const src = y * (stride + 1) + 1
    const row = y * stride
    const prev = row - stride
    for (let x = 0; x < stride; x++) {
      const v = raw[src + x]!
      const a = x >= bpp ? out[row + x - bpp]! : 0
      const b = y > 0 ? out[prev + x]! : 0
      const c = x >= bpp && y > 0 ? out[prev + x - bpp]! : 0
      let r: number
      if (filter === 0) r = v
      else if (filter === 1) r = v + a
      else if (filter === 2) r = v + b
      else if (filter === 3) r = v + ((a + b) >> 1)
      else if (filter === 4) r = v + paeth(a, b, c)
      else throw fail(file, `unknown row filter ${filter}`)
      out[row + x] = r & 0xff
    }
  }
  return out
}

/**
 * Reads the labels of a grey (type 0, 1–16 bit), grey+alpha (type 4, grey used) or palette (type 3) PNG.
 * @param bytes the file's bytes
 * @param file the path, for messages
 * @returns width, height and the label of every pixel
 * @throws ModelgateError E_IMAGE_DECODE for a damaged file, and E_DATASET_FORMAT for an RGB or interlaced mask
 */
export function readLabelPng(bytes: Uint8Array, file: string): LabelMap {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw fail(file, 'it is not a PNG file')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let width = 0
  let height = 0
  let depth = 0
  let colorType = -1
  const idat: Uint8Array[] = []
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!)
    const body = at + 8
    if (body + length + 4 > bytes.length) throw fail(file, `the ${type} chunk is truncated`)
    if (type === 'IHDR') {
      width = view.getUint32(body)
      height = view.getUint32(body + 4)
      depth = bytes[body + 8]!
      colorType = bytes[body + 9]!
      if (bytes[body + 12] !== 0) {
        throw new ModelgateError('E_DATASET_FORMAT', `The mask ${JSON.stringify(file)} is an interlaced PNG; masks must be non-interlaced.`, { file, value: file })
      }
    } else if (type === 'IDAT') idat.push(bytes.subarray(body, body + length))
    else if (type === 'IEND') break
    at = body + length + 4
  }
  if (width === 0 || height === 0 || idat.length === 0) throw fail(file, 'it has no image header or no image data')
  if (colorType === 2 || colorType === 6) {
    throw new ModelgateError('E_DATASET_FORMAT', `The mask ${JSON.stringify(file)} is an RGB PNG; a mask must be a grey or palette PNG whose values are class indices.`, { file, value: file })
  }
  const channels = CHANNELS[colorType]
  if (channels === undefined) throw fail(file, `unknown colour type ${colorType}`)
  let raw: Uint8Array
  try {
    raw = inflateSync(Buffer.concat(idat))
  } catch (error) {
    throw new ModelgateError('E_IMAGE_DECODE', `Cannot read the mask ${JSON.stringify(file)}: the compressed data is damaged.`, { file, value: file, cause: error })
  }
  const bitsPerPixel = channels * depth
  const stride = Math.ceil((width * bitsPerPixel) / 8)
  const rows = unfilter(raw, height, stride, Math.max(1, bitsPerPixel >> 3), file)
  const labels = new Uint16Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * bitsPerPixel
      const byte = y * stride + (bit >> 3)
      let v: number
      if (depth === 16) v = (rows[byte]! << 8) | rows[byte + 1]!
      else if (depth === 8) v = rows[byte]!
      else v = (rows[byte]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1)
      labels[y * width + x] = v
    }
  }
  return { width, height, labels }
}
