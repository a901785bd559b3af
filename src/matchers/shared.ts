/**
 * What every matcher does the same way: take the received model, name it, print figures with units, and
 * start its message with Vitest's matcher hint.
 */
import type { MatcherState } from 'vitest'
import { projectPath } from '../baseline/index.js'
import { isModelgateError, ModelgateError } from '../errors.js'
import { toModelHandle, type ModelHandle } from '../model/index.js'
import { formatBytes, formatExact, formatSi } from '../report/format.js'

/** What a matcher returns (Vitest's `SyncExpectationResult`, which `vitest` does not export). */
export interface MatcherOutcome {
  readonly pass: boolean
  readonly message: () => string
}

/**
 * The received value as a model handle.
 * @throws ModelgateError E_MATCHER_INPUT for anything but a handle or a path, naming the matcher
 */
export function receivedModel(received: unknown, matcher: string): ModelHandle {
  try {
    return toModelHandle(received as string)
  } catch (error) {
    if (isModelgateError(error) && error.code === 'E_MATCHER_INPUT') {
      throw new ModelgateError('E_MATCHER_INPUT', `${matcher}: expected a model handle from loadModel() or a path to an .onnx file, got ${describe(received)}.`, { value: received })
    }
    throw error
  }
}

/** How messages and baselines name a model: its display name, else its path relative to the root. */
export function modelLabel(model: ModelHandle, root: string): string {
  return model.options.name ?? projectPath(root, model.path)
}

/** The first line of a matcher's message: `expect(model).not.toHaveMacsBelow(limit)`. */
export function hint(state: MatcherState, matcher: string, expected = 'limit'): string {
  return state.utils.matcherHint(`.${matcher}`, 'model', expected, { isNot: state.isNot, promise: state.promise })
}

/** A figure with its unit, exact digits added when the SI form rounds: `46.01 M MACs (46,007,168)`. */
export function formatFigure(value: number | string, unit: string): string {
  // an exact count past 2^53: its decimal digits
  if (typeof value === 'string') return unit === 'bytes' ? `${formatBytes(value)} (${formatExact(value)} B)` : `${formatSi(value)} ${unit} (${formatExact(value)})`
  switch (unit) {
    case 'bytes':
      return Math.abs(value) >= 1024 ? `${formatBytes(value)} (${formatExact(value)} B)` : `${value} B`
    case 'ms':
      return formatMs(value)
    case 'ratio':
      return `${Number((value * 100).toPrecision(4))} %`
    default: {
      const si = formatSi(value)
      return Math.abs(value) >= 1000 && Number.isInteger(value) ? `${si} ${unit} (${formatExact(value)})` : `${si} ${unit}`
    }
  }
}

/** Milliseconds with four significant digits, in µs below 1 ms. */
export function formatMs(ms: number): string {
  if (ms !== 0 && Math.abs(ms) < 1) return `${Number((ms * 1000).toPrecision(4))} µs`
  return `${Number(ms.toPrecision(4))} ms`
}

/** `+21.5 %`, `-3.2 %`, `±0 %`; `—` without a baseline. */
export function formatDeltaPct(deltaPct: number | null): string {
  if (deltaPct === null || !Number.isFinite(deltaPct)) return '—'
  if (deltaPct === 0) return '±0 %'
  return `${deltaPct > 0 ? '+' : ''}${Number(deltaPct.toPrecision(4))} %`
}

/**
 * Checks a numeric matcher argument.
 * @throws ModelgateError E_GATE_OPTION for a non-finite or non-positive number
 */
export function positiveNumber(value: unknown, matcher: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ModelgateError('E_GATE_OPTION', `${matcher}: ${what} must be a positive number, got ${describe(value)}.`, { value })
  }
  return value
}

/** A short description of a value for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}
