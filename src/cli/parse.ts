/**
 * Parsing of the options the commands share: --shape NAME=D0,D1, --dim SYMBOL=N, --engine and --ep.
 */
import { ENGINES, type EngineName } from '../bench/index.js'
import { ModelgateError } from '../errors.js'

/** Parses repeated `--shape NAME=D0,D1,...` values. */
export function parseShapes(values: readonly string[] | undefined): Record<string, number[]> {
  const shapes: Record<string, number[]> = {}
  for (const v of values ?? []) {
    const eq = v.lastIndexOf('=')
    const name = v.slice(0, eq)
    const dims = v.slice(eq + 1).split(/[,x×]/).map((d) => d.trim())
    if (eq <= 0 || dims.some((d) => !/^\d+$/.test(d))) {
      throw new ModelgateError('E_CLI_USAGE', `--shape ${JSON.stringify(v)} is not NAME=D0,D1,... with non-negative integers.`, { value: v })
    }
    shapes[name] = dims.map(Number)
  }
  return shapes
}

/** Parses repeated `--dim SYMBOL=N` values. */
export function parseDims(values: readonly string[] | undefined): Record<string, number> {
  const dims: Record<string, number> = {}
  for (const v of values ?? []) {
    const eq = v.lastIndexOf('=')
    const size = v.slice(eq + 1).trim()
    if (eq <= 0 || !/^\d+$/.test(size)) {
      throw new ModelgateError('E_CLI_USAGE', `--dim ${JSON.stringify(v)} is not SYMBOL=N with a non-negative integer N.`, { value: v })
    }
    dims[v.slice(0, eq)] = Number(size)
  }
  return dims
}

/** Parses a non-negative integer option. */
export function parseCount(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value)) throw new ModelgateError('E_CLI_USAGE', `--${name} ${JSON.stringify(value)} is not a non-negative integer.`, { value })
  return Number(value)
}

/** `--engine NAME` and `--ep P1,P2` (repeatable) as runner options. */
export function parseEngine(engine: string | undefined, eps: readonly string[] | undefined): { engine?: EngineName; executionProviders?: string[] } {
  const out: { engine?: EngineName; executionProviders?: string[] } = {}
  if (engine !== undefined) {
    if (!(ENGINES as readonly string[]).includes(engine)) throw new ModelgateError('E_CLI_USAGE', `--engine ${JSON.stringify(engine)} is not ${ENGINES.join(' or ')}.`, { value: engine })
    out.engine = engine as EngineName
  }
  if (eps !== undefined) {
    const list = eps.flatMap((e) => e.split(',')).map((e) => e.trim())
    if (list.length === 0 || list.some((e) => !/^[a-z][a-z0-9_-]*$/i.test(e))) throw new ModelgateError('E_CLI_USAGE', `--ep ${JSON.stringify(eps.join(','))} is not a comma-separated list of provider names (cpu, wasm, cuda …).`, { value: eps })
    out.executionProviders = list
  }
  return out
}
