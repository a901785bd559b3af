/**
 * Baseline files on disk: read (JSON, merge-conflict markers, schema version, JSON Schema validation), and
 * write deterministically (sorted keys, 2-space indent, trailing newline) and atomically (temp file + rename).
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { ModelgateError } from '../errors.js'
import { BASELINE_SCHEMA, type BaselineFile } from './baseline.generated.js'

/** The format and version this modelgate reads and writes. */
export const BASELINE_SCHEMA_ID = 'modelgate-baseline/1'

let validator: ValidateFunction | undefined

function validate(value: unknown): ErrorObject | undefined {
  validator ??= new Ajv2020({ allErrors: false, strict: true }).compile(BASELINE_SCHEMA)
  return validator(value) ? undefined : (validator.errors?.[0] ?? undefined)
}

/** An empty baseline file. */
export function emptyBaseline(): BaselineFile {
  return { schema: BASELINE_SCHEMA_ID, entries: {} }
}

/**
 * Reads and checks a baseline file.
 * @param path the file
 * @param displayPath how messages name it (relative to the project root)
 * @returns the file's contents, or undefined when there is no file
 * @throws ModelgateError E_BASELINE_JSON (not JSON, merge-conflict markers), E_BASELINE_VERSION (another format
 *   version), E_BASELINE_SCHEMA (a value of the wrong type or shape, named by its JSON path)
 */
export function readBaselineFile(path: string, displayPath: string = path): BaselineFile | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined
    throw new ModelgateError('E_BASELINE_JSON', `Cannot read the baseline file ${displayPath}.`, { file: displayPath, cause: error })
  }
  return parseBaseline(text, displayPath)
}

/**
 * Parses and checks the text of a baseline file (see {@link readBaselineFile}).
 * @param text the file's contents
 * @param displayPath how messages name the file
 */
export function parseBaseline(text: string, displayPath: string): BaselineFile {
  const conflict = /^(<{7}|={7}|>{7})(?: |$)/m.exec(text)
  if (conflict !== null) {
    const line = lineOf(text, conflict.index)
    throw new ModelgateError('E_BASELINE_JSON', `The baseline file ${displayPath} has merge-conflict markers (${conflict[1]} at line ${line}).`, { file: displayPath, value: conflict[1] })
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const where = parsePosition(text, error)
    throw new ModelgateError('E_BASELINE_JSON', `The baseline file ${displayPath} is not valid JSON${where}.`, { file: displayPath, cause: error })
  }
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const version = (data as { schema?: unknown }).schema
    if (typeof version === 'string' && version !== BASELINE_SCHEMA_ID) {
      throw new ModelgateError('E_BASELINE_VERSION', `The baseline file ${displayPath} has format ${JSON.stringify(version)} at $.schema; this modelgate reads ${JSON.stringify(BASELINE_SCHEMA_ID)}.`, { file: displayPath, value: version })
    }
  }
  const error = validate(data)
  if (error !== undefined) {
    const path = jsonPath(data, error.instancePath)
    const value = valueAt(data, error.instancePath)
    throw new ModelgateError('E_BASELINE_SCHEMA', `The baseline file ${displayPath} is invalid at ${path}: ${describeError(error, value)}.`, { file: displayPath, value })
  }
  return data as BaselineFile
}

/** The deterministic text of a baseline file: keys sorted at every level, 2-space indent, trailing newline. */
export function serializeBaseline(file: BaselineFile): string {
  return `${JSON.stringify(sortKeys(file), null, 2)}\n`
}

/**
 * Writes a baseline file atomically: a temp file in the same folder, then a rename over the target, so a reader
 * never sees half a file.
 * @throws ModelgateError E_BASELINE_WRITE
 */
export async function writeBaselineFile(path: string, file: BaselineFile, displayPath: string = path): Promise<void> {
  await writeTextAtomically(path, serializeBaseline(file), displayPath)
}

/** Writes text to a file atomically (temp file + rename). @throws ModelgateError E_BASELINE_WRITE */
export async function writeTextAtomically(path: string, text: string, displayPath: string = path): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(temp, text)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw new ModelgateError('E_BASELINE_WRITE', `Cannot write the baseline file ${displayPath}.`, { file: displayPath, cause: error })
  }
}

/** A copy of a JSON value with object keys sorted (code-unit order) at every level. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = sortKeys(v)
  }
  return out
}

function lineOf(text: string, index: number): number {
  let line = 1
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

function parsePosition(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const position = /position (\d+)/.exec(message)
  const detail = message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '')
  if (position === null) return ` (${detail})`
  const index = Number(position[1])
  const before = text.slice(0, index)
  const line = lineOf(text, index)
  const column = index - before.lastIndexOf('\n')
  return ` at line ${line}, column ${column} (${detail})`
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function valueAt(data: unknown, pointer: string): unknown {
  let v = data
  for (const s of pointerSegments(pointer)) {
    if (typeof v !== 'object' || v === null) return undefined
    v = (v as Record<string, unknown>)[s]
  }
  return v
}

/** A JSON Pointer as a readable JSON path: `$.entries["a › b"].metrics.params.value`. */
export function jsonPath(data: unknown, pointer: string): string {
  let out = '$'
  let v = data
  for (const s of pointerSegments(pointer)) {
    if (Array.isArray(v)) out += `[${s}]`
    else out += /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[s] : undefined
  }
  return out
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

function describeError(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `missing the required property ${JSON.stringify(params.missingProperty)}`
    case 'additionalProperties':
      return `unknown property ${JSON.stringify(params.additionalProperty)}`
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'propertyNames':
      return `has an invalid metric name ${JSON.stringify(params.propertyName)}`
    default:
      return `${error.message ?? error.keyword}, got ${preview(value)}`
  }
}
