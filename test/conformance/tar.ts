/**
 * The smallest POSIX ustar reader and writer the conformance data needs: regular files only, gzip-compressed
 * with node:zlib. The archive stays readable by any `tar -xzf`, so nobody needs our code to inspect it.
 */
import { gunzipSync, gzipSync } from 'node:zlib'

const BLOCK = 512

function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length)
  const end = bytes.indexOf(0)
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end))
}

/** Reads every regular file of a .tar.gz into a map keyed by its path inside the archive. */
export function readTarGz(archive: Uint8Array): Map<string, Uint8Array> {
  const tar = gunzipSync(archive)
  const files = new Map<string, Uint8Array>()
  let offset = 0
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK)
    if (header.every((b) => b === 0)) break // end-of-archive marker
    const size = parseInt(field(header, 124, 12).trim(), 8)
    if (!Number.isSafeInteger(size) || field(header, 257, 5) !== 'ustar') throw new Error(`Not a ustar header at byte ${offset}.`)
    const prefix = field(header, 345, 155)
    const name = field(header, 0, 100)
    const type = String.fromCharCode(header[156] ?? 0)
    const start = offset + BLOCK
    if (start + size > tar.length) throw new Error(`The archive ends inside ${prefix}/${name}: truncated.`)
    // '0' and NUL are regular files; directories and anything else carry no data we need
    if (type === '0' || type === '\0') files.set(prefix === '' ? name : `${prefix}/${name}`, tar.subarray(start, start + size))
    offset = start + Math.ceil(size / BLOCK) * BLOCK
  }
  return files
}

function writeField(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length > length) throw new Error(`${JSON.stringify(text)} does not fit a ${length}-byte tar field.`)
  header.set(bytes, offset)
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`
}

/** Splits a path into ustar's prefix (≤ 155 bytes) and name (≤ 100 bytes) at a slash. */
function splitPath(path: string): [prefix: string, name: string] {
  if (path.length <= 100) return ['', path]
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    if (i <= 155 && path.length - i - 1 <= 100) return [path.slice(0, i), path.slice(i + 1)]
  }
  throw new Error(`${path} is too long for a ustar archive.`)
}

/**
 * Writes regular files, in the given order, as a deterministic .tar.gz: mode 0644, owner 0, mtime 0, so the
 * same files always give the same bytes.
 */
export function writeTarGz(files: ReadonlyArray<readonly [path: string, bytes: Uint8Array]>): Uint8Array {
  const blocks: Uint8Array[] = []
  for (const [path, bytes] of files) {
    const header = new Uint8Array(BLOCK)
    const [prefix, name] = splitPath(path)
    writeField(header, 0, 100, name)
    writeField(header, 100, 8, octal(0o644, 8))
    writeField(header, 108, 8, octal(0, 8))
    writeField(header, 116, 8, octal(0, 8))
    writeField(header, 124, 12, octal(bytes.length, 12))
    writeField(header, 136, 12, octal(0, 12))
    writeField(header, 148, 8, '        ') // the checksum is summed with its own field as spaces
    writeField(header, 156, 1, '0')
    writeField(header, 257, 8, 'ustar\u000000')
    writeField(header, 345, 155, prefix)
    const sum = header.reduce((a, b) => a + b, 0)
    writeField(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `)
    blocks.push(header, bytes, new Uint8Array((BLOCK - (bytes.length % BLOCK)) % BLOCK))
  }
  blocks.push(new Uint8Array(2 * BLOCK))
  return gzipSync(Buffer.concat(blocks), { level: 9 })
}
