/**
 * Mutation fuzzing of model bytes: every mutated model must either analyse or fail with a ModelgateError.
 * Shared by the test (a fixed number of cases) and `npm run fuzz` (as many as asked for).
 */
import { readFileSync } from 'node:fs'
import { mulberry32 } from '../../fixtures/builder/index.js'
import { analyzeModelSync } from '../../src/analysis/index.js'
import { isModelgateError } from '../../src/errors.js'

/** One mutation of `bytes`: flips, overwrites, inserts, deletes, truncates or duplicates a range. */
export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Array.from(bytes)
  const at = (): number => Math.floor(random() * Math.max(1, out.length))
  const steps = 1 + Math.floor(random() * 4)
  for (let s = 0; s < steps; s++) {
    switch (Math.floor(random() * 6)) {
      case 0: out[at()] = (out[at()] ?? 0) ^ (1 << Math.floor(random() * 8)); break
      case 1: out[at()] = Math.floor(random() * 256); break
      case 2: out.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256))); break
      case 3: out.splice(at(), 1 + Math.floor(random() * 8)); break
      case 4: out.length = at(); break
      default: { const i = at(); out.splice(i, 0, ...out.slice(i, i + Math.floor(random() * 32))) }
    }
  }
  return Uint8Array.from(out)
}

/** The outcome of a fuzz run. */
export interface FuzzResult {
  readonly cases: number
  readonly analysed: number
  readonly codes: Readonly<Record<string, number>>
  /** Errors that were not ModelgateErrors (defects), with the seed that reproduces them. */
  readonly defects: readonly { readonly file: string; readonly seed: number; readonly error: string }[]
}

/** Runs `cases` mutations spread over the given model files. */
export function fuzzModels(files: readonly string[], cases: number, seed = 1): FuzzResult {
  const sources = files.map((f) => ({ file: f, bytes: readFileSync(f) }))
  const codes: Record<string, number> = {}
  const defects: { file: string; seed: number; error: string }[] = []
  let analysed = 0
  for (let i = 0; i < cases; i++) {
    const caseSeed = seed * 1_000_003 + i
    const source = sources[i % sources.length]!
    const mutated = mutate(source.bytes, mulberry32(caseSeed))
    try {
      analyzeModelSync(mutated)
      analysed++
    } catch (error) {
      if (isModelgateError(error)) codes[error.code] = (codes[error.code] ?? 0) + 1
      else defects.push({ file: source.file, seed: caseSeed, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
    }
  }
  return { cases, analysed, codes, defects }
}
