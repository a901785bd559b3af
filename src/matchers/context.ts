/**
 * The gate's options in a worker: the plugin's (provided), or defaults read from Vitest's snapshot state and the
 * environment when the matchers are registered without the plugin.
 */
import { resolve } from 'node:path'
import { expect, inject } from 'vitest'
import type { UpdateMode } from '../baseline/index.js'
import { envWantsUpdate, PROVIDE_KEY, type GateContext } from './gate-context.js'

export { envWantsUpdate, PROVIDE_KEY } from './gate-context.js'
export type { GateBenchOptions, GateContext, GateLatencyOptions } from './gate-context.js'

/** The context in a worker. */
export function gateContext(): GateContext {
  let provided: GateContext | undefined
  try {
    provided = inject(PROVIDE_KEY)
  } catch {
    provided = undefined
  }
  if (provided !== undefined) return provided
  const root = process.cwd()
  const state = expect.getState().snapshotState as { snapshotUpdateState?: unknown } | undefined
  const snapshot = state?.snapshotUpdateState
  const update: UpdateMode = envWantsUpdate(process.env) ? 'all' : snapshot === 'all' || snapshot === 'none' ? snapshot : 'new'
  return { root, baselineDir: resolve(root, 'baselines'), update, tolerance: {}, calibrated: false, metrics: [], bench: {} }
}
