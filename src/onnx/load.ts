/**
 * Reading a model: a path or bytes → the IR, with every failure turned into a documented ModelgateError.
 * A file is read at offsets: the structure is copied, weight payloads are skipped and read only on demand — or,
 * when its nodes are most of it, read whole and decoded in place, as bytes given in memory are.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ModelgateError, isModelgateError } from '../errors.js'
import { DecodeError, decodeModelDirect, decodeScannedModel, type ExternalResolver } from './decode.js'
import { ExternalDataResolver } from './external-data.js'
import { fileSource, memorySource, type ByteSource } from './source.js'
import type { OnnxModel, TensorPayload } from './types.js'
import { assertDeclaredDims } from './declared-dims.js'
import { WireError, WireNestingError, nodesMakeUp, scanModel } from './wire.js'

/**
 * A model file whose main graph's nodes make up at least this share of its bytes is read whole and decoded in place
 * (see decodeModelDirect), up to {@link READ_WHOLE_MAX_BYTES}: on a graph of many small nodes that spares the wire
 * scan's pass and copy (the 50,000-node bench graph, 7 MB, 68 % nodes: its load ≈ 1.5× as fast), and the weights
 * read along cost less than that saves. Any other file is scanned, its payloads skipped, never read: reading a
 * 10 MB mobilenet whole (under 5 % nodes) made its analysis 4.5× as slow (7 → 34 ms).
 */
export const READ_WHOLE_NODE_SHARE = 0.25

/** The largest file read whole (see {@link READ_WHOLE_NODE_SHARE}): what it holds in memory while it is decoded. */
export const READ_WHOLE_MAX_BYTES = 32 * 1024 * 1024

/** A model read from disk or memory, with access to its payloads until closed. */
export interface LoadedModel {
  readonly model: OnnxModel
  /** Absolute path of the file, undefined when bytes were given. */
  readonly path: string | undefined
  /** The bytes of a payload (small tensors only: callers check the size first). */
  readPayload(payload: TensorPayload): Uint8Array | undefined
  close(): void
}

/** Reads an ONNX model from a path or from bytes. */
export function readOnnxModel(input: string | Uint8Array): LoadedModel {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new ModelgateError('E_INPUT', `Expected a path or a Uint8Array, got ${describe(input)}.`, { value: describe(input) })
  }
  const path = typeof input === 'string' ? resolve(input) : undefined
  const fileOpt = path === undefined ? {} : { file: path }
  let source: ByteSource
  if (path !== undefined) {
    let isFile = false
    try {
      isFile = statSync(path).isFile()
    } catch (error) {
      throw new ModelgateError('E_FILE_NOT_FOUND', `No model file at ${JSON.stringify(input)}.`, { value: input, file: path, cause: error })
    }
    if (!isFile) throw new ModelgateError('E_FILE_READ', `${JSON.stringify(input)} is not a file.`, { value: input, file: path })
    try {
      source = fileSource(path)
    } catch (error) {
      throw new ModelgateError('E_FILE_READ', `Cannot open ${JSON.stringify(input)}: ${(error as Error).message}.`, { value: input, file: path, cause: error })
    }
  } else {
    source = memorySource(input as Uint8Array)
  }
  const label = path ?? 'the given bytes'
  try {
    sniff(source, label, fileOpt)
    const externals = new ExternalDataResolver(path === undefined ? undefined : dirname(path), path)
    const resolveExternal: ExternalResolver = (name, entries) => externals.resolve(name, entries)
    // bytes in memory, or a small file read whole, are decoded in place; the wire scan reads the rest, and
    // whatever the in-place decode does not take
    const readWhole = path !== undefined && source.length <= READ_WHOLE_MAX_BYTES && nodesMakeUp(source, READ_WHOLE_NODE_SHARE)
    const whole = path === undefined ? (input as Uint8Array) : readWhole ? source.copy(0, source.length) : undefined
    const decoded = (whole === undefined ? undefined : decodeInPlace(whole, resolveExternal)) ?? decodeScannedModel(scanModel(source), source.length, resolveExternal)
    if (decoded.irVersion < 1 || (decoded.opsets.size === 0 && decoded.graph.nodes.length === 0)) {
      throw new ModelgateError('E_NOT_ONNX', `${label} decodes as protobuf but is not an ONNX model (ir_version ${decoded.irVersion}, no opset imports).`, { value: decoded.irVersion, ...fileOpt })
    }
    const model: OnnxModel = { ...decoded, externalDataBytes: externals.totalBytes() }
    assertDeclaredDims(model, label, path)
    return {
      model,
      path,
      readPayload: (payload) => readPayload(source, payload),
      close: () => source.close(),
    }
  } catch (error) {
    source.close()
    if (isModelgateError(error)) throw error
    if (error instanceof WireError && error.atTop) {
      throw new ModelgateError('E_NOT_ONNX', `${label} is not an ONNX model: ${error.message}.`, { value: error.offset, ...fileOpt, cause: error })
    }
    if (error instanceof WireNestingError) {
      throw new ModelgateError('E_ONNX_NESTING', `${label} has messages nested more than ${error.limit} deep (at byte ${error.offset}).`, { value: error.limit, ...fileOpt, cause: error })
    }
    if (error instanceof DecodeError) {
      throw new ModelgateError('E_ONNX_INVALID', `${label} is not a valid ONNX model: ${error.message}.`, { ...fileOpt, cause: error })
    }
    const reason = error instanceof RangeError ? `it ends early (truncated?): ${error.message}` : (error as Error).message
    throw new ModelgateError('E_ONNX_DECODE', `Cannot decode ${label}: ${reason}.`, { ...fileOpt, cause: error })
  }
}

/**
 * The model decoded in place, or undefined when the scan path must read it: a model that path alone reads, or one
 * that fails on the way (the scan path then reports the exact error).
 */
function decodeInPlace(bytes: Uint8Array, resolveExternal: ExternalResolver): ReturnType<typeof decodeModelDirect> {
  try {
    return decodeModelDirect(bytes, resolveExternal)
  } catch {
    return undefined
  }
}

function sniff(source: ByteSource, label: string, fileOpt: { file?: string }): void {
  if (source.length === 0) throw new ModelgateError('E_NOT_ONNX', `${label} is empty.`, { value: 0, ...fileOpt })
  const head = source.read(0, Math.min(64, source.length))
  const text = new TextDecoder().decode(head)
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new ModelgateError('E_NOT_ONNX', `${label} is a zip archive (a PyTorch .pt/.pth checkpoint?), not an ONNX model.`, { value: 'zip', ...fileOpt })
  }
  if (text.startsWith('version https://git-lfs')) {
    throw new ModelgateError('E_NOT_ONNX', `${label} is a Git LFS pointer, not the model (run git lfs pull).`, { value: 'git-lfs pointer', ...fileOpt })
  }
  if (head[0] === 0x89 && text.slice(1, 4) === 'HDF') {
    throw new ModelgateError('E_NOT_ONNX', `${label} is an HDF5 file (a Keras model?), not an ONNX model.`, { value: 'hdf5', ...fileOpt })
  }
}

function readPayload(source: ByteSource, payload: TensorPayload): Uint8Array | undefined {
  switch (payload.kind) {
    case 'inline':
      return payload.bytes
    case 'file':
      return source.copy(payload.offset, payload.length)
    case 'external': {
      if (payload.path === '') return undefined
      const fd = openSync(payload.path, 'r')
      try {
        const out = new Uint8Array(payload.length)
        let got = 0
        while (got < payload.length) {
          const n = readSync(fd, out, got, payload.length - got, payload.offset + got)
          if (n === 0) break
          got += n
        }
        return got === payload.length ? out : undefined
      } finally {
        closeSync(fd)
      }
    }
    default:
      return undefined
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v
}
