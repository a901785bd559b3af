/**
 * External data: tensors whose bytes live in side files next to the model. Every location is checked to stay
 * inside the model's folder (no absolute paths, no `..`, no symlink that escapes) before anything is opened.
 */
import { realpathSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { keepHiddenClass } from '../_hidden-classes.js'
import { ModelgateError } from '../errors.js'
import type { TensorPayload } from './types.js'

/** Checks external-data entries and resolves them to a payload; remembers each file's size. */
export class ExternalDataResolver {
  /** Real path of each external file → its size in bytes. */
  readonly files = new Map<string, number>()
  private readonly realDir: string | undefined
  /** location → its checked real path (an LLM names one data file in hundreds of tensors: one realpath each) */
  private readonly checked = new Map<string, { readonly real: string; readonly path: string }>()

  constructor(
    private readonly modelDir: string | undefined,
    private readonly modelFile: string | undefined,
  ) {
    this.realDir = modelDir === undefined ? undefined : realpathSync(modelDir)
  }

  /** Resolves one tensor's entries (`location`, `offset`, `length`). */
  resolve(tensorName: string, entries: ReadonlyMap<string, string>): TensorPayload {
    const location = entries.get('location') ?? ''
    const offset = Number(entries.get('offset') ?? '0')
    const lengthEntry = entries.get('length')
    const fail = (code: 'E_EXTERNAL_DATA_PATH' | 'E_EXTERNAL_DATA_MISSING' | 'E_EXTERNAL_DATA_RANGE', problem: string): never => {
      throw new ModelgateError(code, `Tensor ${JSON.stringify(tensorName)}: ${problem}.`, { value: location, ...(this.modelFile === undefined ? {} : { file: this.modelFile }) })
    }
    if (location === '') fail('E_EXTERNAL_DATA_PATH', 'external data has no location')
    if (location.includes('\0')) fail('E_EXTERNAL_DATA_PATH', 'the external data location contains a NUL byte')
    if (isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location) || location.startsWith('\\')) {
      fail('E_EXTERNAL_DATA_PATH', `external data location ${JSON.stringify(location)} is an absolute path`)
    }
    if (location.split(/[\\/]/).includes('..')) fail('E_EXTERNAL_DATA_PATH', `external data location ${JSON.stringify(location)} leaves the model's folder`)
    if (!Number.isSafeInteger(offset) || offset < 0) fail('E_EXTERNAL_DATA_RANGE', `external data offset ${JSON.stringify(entries.get('offset'))} is not a non-negative integer`)
    const length = lengthEntry === undefined ? undefined : Number(lengthEntry)
    if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) fail('E_EXTERNAL_DATA_RANGE', `external data length ${JSON.stringify(lengthEntry)} is not a non-negative integer`)
    if (this.modelDir === undefined || this.realDir === undefined) {
      // bytes given without a folder: the reference can be counted but not opened
      return { kind: 'external', path: '', location, offset, length: length ?? 0 }
    }
    let file = this.checked.get(location)
    if (file === undefined) {
      let real: string
      try {
        real = realpathSync(resolve(this.modelDir, location))
      } catch {
        return fail('E_EXTERNAL_DATA_MISSING', `external data file ${JSON.stringify(location)} does not exist next to the model`)
      }
      const inside = relative(this.realDir, real)
      if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
        fail('E_EXTERNAL_DATA_PATH', `external data location ${JSON.stringify(location)} resolves outside the model's folder (through a symlink)`)
      }
      file = { real, path: join(this.realDir, inside) }
      this.checked.set(location, file)
    }
    const { real, path } = file
    let size = this.files.get(real)
    if (size === undefined) {
      const st = statSync(real)
      if (!st.isFile()) fail('E_EXTERNAL_DATA_MISSING', `external data location ${JSON.stringify(location)} is not a file`)
      size = st.size
      this.files.set(real, size)
    }
    const available = size - offset
    if (available < 0 || (length !== undefined && length > available)) {
      fail('E_EXTERNAL_DATA_RANGE', `external data ${JSON.stringify(location)} needs bytes ${offset}..${offset + (length ?? 0)} but the file has ${size}`)
    }
    return { kind: 'external', path, location, offset, length: length ?? available }
  }

  /** Total size of the distinct external files. */
  totalBytes(): number {
    let total = 0
    for (const size of this.files.values()) total += size
    return total
  }
}
keepHiddenClass(() => new ExternalDataResolver(undefined, undefined))
