/**
 * `modelgate estimate <model.onnx> --device <id>`: the roofline latency estimate of a model on a device we do not
 * have (or on this machine, calibrated by micro-benchmarks through the engine). Always printed as an estimate.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ModelgateError } from '../errors.js'
import { BUILT_IN_PROFILES, estimateLatency, THIS_MACHINE, validateProfile, type DeviceProfile, type EstimateOptions } from '../estimate/index.js'
import { describeProfile, renderEstimateText } from '../estimate/render-text.js'
import { parseEngine } from './parse.js'
import type { CliIo } from './io.js'
import { parseCount, parseDims, parseShapes } from './parse.js'

export const ESTIMATE_USAGE = `modelgate estimate <model.onnx> --device <id> [options]
modelgate estimate <model.onnx> --profile <profile.json> [options]
modelgate estimate --list-devices

Estimated latency of one inference on a device, from the static analysis and the device's numbers (a per-node
roofline: max(FLOPs / peak compute, bytes / bandwidth) + a fixed overhead). An estimate, not a measurement.

  --device ID             ${[...BUILT_IN_PROFILES.map((p) => p.id), THIS_MACHINE].join(', ')}
  --profile FILE.json     a device profile of your own (fields: README, device estimates)
  --shape NAME=D0,D1,...  concrete dims of an input (repeatable)
  --dim SYMBOL=N          size of a symbolic dim (dim_param) (repeatable)
  --threads N             threads (built-in CPU profiles scale compute ideally up to their cores;
                          this-machine measures at N threads) (default 1)
  --engine NAME, --ep P   the engine and providers this-machine is calibrated with (default onnxruntime-node, cpu)
  --recalibrate           measure this-machine again instead of reading the cache
  --top N                 dominating nodes listed (default 5)
  --list-devices          print the built-in profiles with their numbers and sources
  --json                  print one JSON document
`

function listDevices(): string {
  const out: string[] = []
  for (const p of BUILT_IN_PROFILES) {
    out.push(`${p.id}: ${p.name}`, `  ${describeProfile(p)}`)
    for (const [field, source] of Object.entries(p.sources)) out.push(`  ${field}: ${source}`)
  }
  out.push(`${THIS_MACHINE}: measured on this machine through the engine (MatMul, Add, a chain of tiny nodes), cached per machine, engine and threads`)
  return `${out.join('\n')}\n`
}

function readProfile(path: string): DeviceProfile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ModelgateError('E_DEVICE_PROFILE', `Cannot read the profile ${JSON.stringify(path)} (${(error as Error).message}).`, { value: path, cause: error })
  }
  try {
    return validateProfile(JSON.parse(text))
  } catch (error) {
    if (error instanceof SyntaxError) throw new ModelgateError('E_DEVICE_PROFILE', `The profile ${JSON.stringify(path)} is not JSON (${error.message}).`, { value: path })
    throw error
  }
}

/** Runs the command; returns the exit code. */
export async function estimateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      device: { type: 'string' },
      profile: { type: 'string' },
      shape: { type: 'string', multiple: true },
      dim: { type: 'string', multiple: true },
      threads: { type: 'string' },
      engine: { type: 'string' },
      ep: { type: 'string', multiple: true },
      recalibrate: { type: 'boolean' },
      top: { type: 'string' },
      'list-devices': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(ESTIMATE_USAGE)
    return 0
  }
  if (values['list-devices']) {
    io.stdout.write(values.json ? `${JSON.stringify(BUILT_IN_PROFILES, null, 2)}\n` : listDevices())
    return 0
  }
  if (positionals.length !== 1) throw new ModelgateError('E_CLI_USAGE', `estimate takes exactly one model path, got ${positionals.length}.`, { value: positionals })
  if ((values.device === undefined) === (values.profile === undefined)) throw new ModelgateError('E_CLI_USAGE', 'Give exactly one of --device ID and --profile FILE.json.', { value: [values.device, values.profile] })
  const device: EstimateOptions['device'] = values.profile !== undefined ? readProfile(resolve(io.cwd, values.profile)) : (values.device as string)
  const threads = values.threads === undefined ? undefined : parseCount('threads', values.threads, 1)
  if (threads === 0) throw new ModelgateError('E_CLI_USAGE', '--threads must be at least 1 for an estimate.', { value: values.threads })
  const estimate = await estimateLatency(resolve(io.cwd, positionals[0]!), {
    device,
    shapes: parseShapes(values.shape),
    dims: parseDims(values.dim),
    ...(threads === undefined ? {} : { threads }),
    ...parseEngine(values.engine, values.ep),
    ...(values.recalibrate === true ? { recalibrate: true } : {}),
    ...(values.top === undefined ? {} : { top: parseCount('top', values.top, 5) }),
  })
  io.stdout.write(values.json ? `${JSON.stringify(estimate, null, 2)}\n` : renderEstimateText(estimate, positionals[0]!))
  return 0
}
