/**
 * Reading a `modelgate-report.json` back (for `modelgate report` and `modelgate comment`), with a structural
 * check of the fields the renderers rely on.
 */
import { readFile } from 'node:fs/promises'
import { ModelgateError } from '../errors.js'
import type { GateReport } from './types.js'

/**
 * Reads and checks a report file.
 * @param path the file (absolute, or relative to the process's working directory)
 * @returns the report
 * @throws ModelgateError E_REPORT_READ when the file is missing, not JSON or not a modelgate report
 */
export async function readReport(path: string): Promise<GateReport> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ModelgateError('E_REPORT_READ', `Cannot read the report ${JSON.stringify(path)}.`, { value: path, file: path, cause: error })
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ModelgateError('E_REPORT_READ', `${JSON.stringify(path)} is not JSON.`, { value: path, file: path, cause: error })
  }
  const problem = checkReport(data)
  if (problem !== undefined) throw new ModelgateError('E_REPORT_READ', `${JSON.stringify(path)} is not a modelgate report: ${problem}.`, { value: path, file: path })
  return data as GateReport
}

/** A count past 2^53 as the report holds it: decimal digits only (no sign, point, exponent or space). */
const EXACT_DIGITS = /^[0-9]+$/

/** Names the first structural problem of a would-be report, or undefined when it is one. */
export function checkReport(data: unknown): string | undefined {
  if (!isRecord(data)) return 'not a JSON object'
  if (data.schema !== 'modelgate-report/1') return `schema is ${JSON.stringify(data.schema)}, expected "modelgate-report/1"`
  for (const key of ['modelgateVersion', 'costModelVersion', 'updateCommand'] as const) if (typeof data[key] !== 'string') return `${key} is not a string`
  if (!Array.isArray(data.shards) || !data.shards.every((s) => typeof s === 'string')) return 'shards is not a list of strings'
  if (!Array.isArray(data.results)) return 'results is not a list'
  for (const [i, r] of (data.results as unknown[]).entries()) {
    if (!isRecord(r)) return `results[${i}] is not an object`
    for (const key of ['model', 'metric', 'unit', 'direction', 'verdict'] as const) if (typeof r[key] !== 'string') return `results[${i}].${key} is not a string`
    // an exact count past 2^53 is its decimal digits, nothing else
    for (const key of ['baseline', 'current'] as const) {
      const v = r[key]
      if (v !== null && typeof v !== 'number' && !(typeof v === 'string' && EXACT_DIGITS.test(v))) return `results[${i}].${key} is ${JSON.stringify(v)}, not a number, the decimal digits of an exact count, or null`
    }
    if (r.deltaPct !== null && typeof r.deltaPct !== 'number') return `results[${i}].deltaPct is not a number or null`
    if (!isRecord(r.tolerance)) return `results[${i}].tolerance is not an object`
  }
  return undefined
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
