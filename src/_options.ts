/**
 * Unknown option keys are errors. A typo (`{ treshold: 0.05 }`) would otherwise run with the default while the
 * user believes otherwise. Each entry point declares its valid keys once, next to its options type, with
 * {@link optionKeys}: the compiler checks the list against the type both ways, so an option added to the type
 * without being added to the list (or a stale key left in the list) does not compile.
 */
import { ModelgateError } from './errors.js'

/** Every key of an options type, each `true`: what {@link optionKeys} takes. */
export type KeyList<T> = { readonly [K in keyof T]-?: true }

/**
 * The valid keys of an options type, checked by the compiler against `T`. Spread one list into another for a
 * type that extends another: `optionKeys<ModelOptions>({ ...ANALYZE_OPTION_KEYS, name: true })`.
 * @param keys an object literal with every key of `T` set to `true`
 * @returns the same object, for {@link checkOptionKeys}
 */
export function optionKeys<T>(keys: KeyList<T>): KeyList<T> {
  return Object.freeze(keys)
}

/**
 * Throws when `options` has a key outside `valid`, naming it and the closest valid key. Non-objects pass (each
 * entry point checks the type of its options itself).
 * @param valid a list made by {@link optionKeys}
 * @param where how the message names the options, e.g. `benchModel()` or `compareLatency() options.a`
 * @throws ModelgateError E_UNKNOWN_OPTION
 */
export function checkOptionKeys(options: unknown, valid: Readonly<Record<string, true>>, where: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(valid, key)) continue
    const keys = Object.keys(valid)
    const near = closestKey(key, keys)
    throw new ModelgateError(
      'E_UNKNOWN_OPTION',
      `${where}: unknown option ${JSON.stringify(key)}${near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`} (valid: ${keys.join(', ') || 'none'}).`,
      { value: key },
    )
  }
}

/**
 * The valid key closest to a misspelt one: fewest edits (insert, delete, substitute, swap two neighbours),
 * ignoring case; undefined when even that one is too far off to be a typo of it.
 */
export function closestKey(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of valid) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  // a third of the longer word, at least 2: `percentil` → `percentile`, not `iterations` for `x`
  const allowed = best === undefined ? 0 : Math.max(2, Math.ceil(Math.max(key.length, best.length) / 3))
  return bestDistance <= allowed ? best : undefined
}

/** Optimal string alignment distance: Levenshtein plus swaps of two neighbouring characters. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d = new Array<number>(rows * cols)
  for (let i = 0; i < rows; i++) d[i * cols] = i
  for (let j = 0; j < cols; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1)
      d[i * cols + j] = v
    }
  }
  return d[rows * cols - 1]!
}
