/**
 * Image decoders for data sets: sharp (libvips, an optional peer, loaded with a dynamic import) and a pure-JS
 * fallback (pngjs + jpeg-js). Decoders only decode — resizing and normalising happen in `preprocess.ts`, the same
 * for both — so the one difference between them is the JPEG decoder itself (libjpeg-turbo/mozjpeg vs jpeg-js,
 * which differ by a few levels per pixel; PNG is lossless and decodes identically). The decoder used is recorded in
 * every result because accuracy can depend on it.
 *
 * Both decoders: alpha is dropped (not composited — as PIL's convert('RGB') and sharp's removeAlpha), grey images
 * are expanded to RGB, 16-bit PNGs are scaled to 8 bits, EXIF orientation is not applied, and a damaged file is an
 * error (no "tolerant" decoding).
 */
import { createRequire } from 'node:module'
import { ModelgateError } from '../errors.js'

/** Which decoder to use: `auto` takes sharp when it can be imported, else the pure-JS one. */
export type DecoderChoice = 'auto' | 'sharp' | 'pure-js'

/** The decoder an evaluation used. */
export interface DecoderInfo {
  readonly name: 'sharp' | 'pure-js'
  /** Versions of the packages that decoded, e.g. { sharp: '0.35.5', libvips: '8.18.7' } or { pngjs: '7.0.0', 'jpeg-js': '0.4.4' }. */
  readonly versions: Readonly<Record<string, string>>
  /** One line, e.g. `sharp@0.35.5 (libvips 8.18.7)`. */
  readonly label: string
}

/** A decoded image: 8-bit RGB, interleaved, row-major. */
export interface RgbImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** A decoder. */
export interface ImageDecoder {
  readonly info: DecoderInfo
  /** Decodes PNG or JPEG bytes; `file` is for messages. @throws ModelgateError E_IMAGE_DECODE */
  decode(bytes: Uint8Array, file: string): Promise<RgbImage>
}

/** The container of some bytes, by magic number. */
export function sniffImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  return undefined
}

function decodeError(file: string, why: string, cause?: unknown): ModelgateError {
  return new ModelgateError('E_IMAGE_DECODE', `Cannot decode the image ${JSON.stringify(file)}: ${why}.`, { file, value: file, cause })
}

function checkFormat(bytes: Uint8Array, file: string): 'png' | 'jpeg' {
  const format = sniffImageFormat(bytes)
  if (format === undefined) throw decodeError(file, bytes.length === 0 ? 'the file is empty' : 'it is neither a PNG nor a JPEG file')
  return format
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error)
}

const requireHere = createRequire(import.meta.url)

function packageVersion(name: string): string {
  try {
    return (requireHere(`${name}/package.json`) as { version?: string }).version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** RGBA or grey-alpha … → RGB, for pngjs output (always RGBA 8-bit). */
function rgbaToRgb(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3)
  for (let i = 0, j = 0; j < out.length; i += 4, j += 3) {
    out[j] = rgba[i]!
    out[j + 1] = rgba[i + 1]!
    out[j + 2] = rgba[i + 2]!
  }
  return out
}

async function pureJsDecoder(): Promise<ImageDecoder> {
  const [{ PNG }, jpeg] = await Promise.all([import('pngjs'), import('jpeg-js')])
  const versions = { pngjs: packageVersion('pngjs'), 'jpeg-js': packageVersion('jpeg-js') }
  return {
    info: { name: 'pure-js', versions, label: `pngjs@${versions.pngjs} + jpeg-js@${versions['jpeg-js']}` },
    decode(bytes, file) {
      const format = checkFormat(bytes, file)
      try {
        if (format === 'png') {
          const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
          return Promise.resolve({ width: png.width, height: png.height, data: rgbaToRgb(png.data, png.width, png.height) })
        }
        const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxMemoryUsageInMB: 1024 })
        return Promise.resolve({ width: img.width, height: img.height, data: img.data })
      } catch (error) {
        throw decodeError(file, messageOf(error), error)
      }
    },
  }
}

interface SharpPipeline {
  removeAlpha(): SharpPipeline
  toColourspace(space: string): SharpPipeline
  raw(): SharpPipeline
  toBuffer(options: { resolveWithObject: true }): Promise<{ data: Buffer; info: { width: number; height: number; channels: number } }>
}
type SharpFactory = ((input: Uint8Array, options: { failOn: string }) => SharpPipeline) & { readonly versions?: Readonly<Record<string, string | undefined>> }

async function importSharp(): Promise<SharpFactory | undefined> {
  try {
    const mod = (await import('sharp')) as unknown as { default: SharpFactory }
    return mod.default
  } catch {
    return undefined
  }
}

function sharpDecoder(sharp: SharpFactory): ImageDecoder {
  const versions = { sharp: sharp.versions?.sharp ?? packageVersion('sharp'), libvips: sharp.versions?.vips ?? 'unknown' }
  return {
    info: { name: 'sharp', versions, label: `sharp@${versions.sharp} (libvips ${versions.libvips})` },
    async decode(bytes, file) {
      checkFormat(bytes, file)
      try {
        const { data, info } = await sharp(bytes, { failOn: 'warning' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
        if (info.channels !== 3) throw new Error(`libvips gave ${info.channels} channels`)
        return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
      } catch (error) {
        throw decodeError(file, messageOf(error), error)
      }
    },
  }
}

/**
 * Loads a decoder.
 * @param choice `sharp`, `pure-js`, or `auto` (sharp when installed) @default 'auto'
 * @returns the decoder and its name and versions
 * @throws ModelgateError E_DECODER_MISSING when `sharp` is asked for and cannot be imported
 */
export async function loadImageDecoder(choice: DecoderChoice = 'auto'): Promise<ImageDecoder> {
  if (choice === 'pure-js') return pureJsDecoder()
  const sharp = await importSharp()
  if (sharp !== undefined) return sharpDecoder(sharp)
  if (choice === 'sharp') throw new ModelgateError('E_DECODER_MISSING', 'The image decoder "sharp" was asked for, but the package cannot be imported.', { value: 'sharp' })
  return pureJsDecoder()
}
