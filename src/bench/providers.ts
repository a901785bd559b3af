/**
 * Execution providers: which ones an engine can use on this machine, found by opening a one-node model with each,
 * and the check that every asked-for provider is one of them (no silent fallback to the CPU). engine.ts and this
 * file import each other; neither uses the other at module load.
 */
import { ModelgateError } from '../errors.js'
import { DEFAULT_PROVIDERS, engineVersion, sessionOptions, type EngineSettings, type Ort } from './engine.js'
import { tinyModelBytes } from './tiny-model.js'
import type { EngineName } from './types.js'

/** Provider names each engine knows of (onnxruntime-common's ExecutionProviderName), probed when one is asked for. */
const CANDIDATES: Readonly<Record<EngineName, readonly string[]>> = {
  'onnxruntime-node': ['cpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'qnn', 'xnnpack', 'nnapi'],
  'onnxruntime-web': ['wasm', 'webgpu', 'webnn', 'webgl'],
}

const probed = new Map<string, Promise<boolean>>()

/** True when `provider` alone can open a one-node model in this engine on this machine (cached per process). */
function providerWorks(ort: Ort, settings: EngineSettings, provider: string): Promise<boolean> {
  const key = `${settings.engine}:${provider}`
  let result = probed.get(key)
  if (result === undefined) {
    result = (async () => {
      try {
        const session = await ort.InferenceSession.create(tinyModelBytes(), sessionOptions(settings, [provider], true))
        await session.release()
        return true
      } catch {
        return false
      }
    })()
    probed.set(key, result)
  }
  return result
}

/**
 * The execution providers this engine can use on this machine, found by opening a one-node model with each
 * provider it knows of (onnxruntime-node's own `listSupportedBackends()` first).
 */
export async function availableProviders(ort: Ort, settings: EngineSettings): Promise<string[]> {
  const listed = typeof ort.listSupportedBackends === 'function' ? ort.listSupportedBackends().map((b) => b.name) : []
  const names = [...new Set([...listed, ...CANDIDATES[settings.engine]])]
  const out: string[] = []
  for (const name of names) if (await providerWorks(ort, settings, name)) out.push(name)
  return out
}

/**
 * Checks that every asked-for provider works here: onnxruntime-web would otherwise fall back to the next one in
 * the list without saying so.
 * @throws ModelgateError E_ENGINE_PROVIDER naming the providers this machine offers
 */
export async function checkProviders(ort: Ort, settings: EngineSettings): Promise<void> {
  if (settings.executionProviders.every((p, i) => p === DEFAULT_PROVIDERS[settings.engine][i]) && settings.executionProviders.length === 1) return
  const missing: string[] = []
  for (const p of settings.executionProviders) if (!(await providerWorks(ort, settings, p))) missing.push(p)
  if (missing.length === 0) return
  const offered = await availableProviders(ort, settings)
  throw new ModelgateError(
    'E_ENGINE_PROVIDER',
    `${settings.engine} ${engineVersion(ort, settings.engine)} cannot use the execution provider${missing.length === 1 ? '' : 's'} ${missing.map((m) => JSON.stringify(m)).join(', ')} on this machine; it offers: ${offered.join(', ') || 'none'}.`,
    { value: missing },
  )
}

