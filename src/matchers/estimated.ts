/**
 * `toEstimateUnderMs(ms, { device })`: the roofline latency estimate on a device must be within a budget. An
 * estimate, not a measurement: the report row is labelled so, with the device and profile it used. Asynchronous
 * (the `this-machine` profile is measured through the engine on first use), so it must be awaited.
 */
import type { MatcherState } from 'vitest'
import { projectPath } from '../baseline/index.js'
import { ModelgateError } from '../errors.js'
import type { DeviceProfile, EstimateOptions } from '../estimate/index.js'
import { gateContext } from './context.js'
import { guardAsync } from './guard.js'
import { recordMetric } from './record.js'
import { checkOptionKeys, optionKeys } from '../_options.js'
import { formatMs, hint, modelLabel, positiveNumber, receivedModel, type MatcherOutcome } from './shared.js'

/** Options of `toEstimateUnderMs`. */
export interface EstimateUnderOptions {
  /** A built-in device id (`raspberry-pi-5`, `jetson-orin-nano`, `phone-big-core`, `apple-m2`), `this-machine`, or a profile. */
  readonly device: string | DeviceProfile
  /** Threads (built-in CPU profiles scale compute up to their cores; `this-machine` is calibrated at them). @default 1 */
  readonly threads?: number
}

/** The keys of {@link EstimateUnderOptions}; any other key is refused. */
export const ESTIMATE_UNDER_OPTION_KEYS = optionKeys<EstimateUnderOptions>({ device: true, threads: true })

/** The metric key of an estimated latency in reports. */
export const ESTIMATE_METRIC = 'estimate.latency'

function toEstimateUnderMs(this: MatcherState, received: unknown, ms: number, options: EstimateUnderOptions): Promise<MatcherOutcome> {
  const matcher = 'toEstimateUnderMs'
  const model = receivedModel(received, matcher)
  positiveNumber(ms, matcher, 'the budget in ms')
  checkOptionKeys(options, ESTIMATE_UNDER_OPTION_KEYS, matcher)
  if (typeof options !== 'object' || options === null || options.device === undefined) {
    throw new ModelgateError('E_GATE_OPTION', `${matcher}: give the device, e.g. { device: 'raspberry-pi-5' } (or 'this-machine', or a profile).`, { value: options })
  }
  const context = gateContext()
  const label = modelLabel(model, context.root)
  const work = (async (): Promise<MatcherOutcome> => {
    const { estimateLatency } = await import('../estimate/index.js')
    const estimateOptions: EstimateOptions = { device: options.device, ...(options.threads === undefined ? {} : { threads: options.threads }) }
    const e = await estimateLatency(model, estimateOptions)
    const pass = e.latencyMs <= ms
    const top = e.dominating[0]
    recordMetric(
      {
        model: projectPath(context.root, model.path),
        metric: ESTIMATE_METRIC,
        unit: 'ms',
        direction: 'lower',
        baseline: null,
        current: e.latencyMs,
        deltaPct: null,
        tolerance: {},
        verdict: pass !== (this.isNot === true) ? 'within-budget' : 'over-budget',
        budget: ms,
        statistics: { kind: 'estimated', device: e.profile.id, threads: e.threads, computeMs: e.breakdownMs.compute, memoryMs: e.breakdownMs.memory, overheadMs: e.breakdownMs.overhead },
        note: `ESTIMATED on ${e.profile.id} (roofline, not a measurement)${e.isLowerBound ? ', a lower bound: ops without a cost rule' : ''}${top === undefined ? '' : `; top node ${top.opType} ${top.name} ${(top.share * 100).toFixed(0)} %`}`,
      },
      this,
    )
    return {
      pass,
      message: () =>
        `${hint(this, matcher, 'ms')}\n\n${label} is ESTIMATED at ${e.isLowerBound ? '≥ ' : ''}${formatMs(e.latencyMs)} on ${e.profile.id} (roofline on ${e.profile.name}; not a measurement), ` +
        (pass ? `within the budget of ${formatMs(ms)}; expected more than that.` : `over the budget of ${formatMs(ms)}; dominated by ${e.dominating.slice(0, 3).map((d) => `${d.opType} ${d.name} (${formatMs(d.ms)}, ${d.bound})`).join(', ')}.`),
    }
  })()
  return guardAsync(this.task, `expect(model)${this.isNot === true ? '.not' : ''}.${matcher}(${ms}, { device: ${JSON.stringify(typeof options.device === 'string' ? options.device : options.device.id)} })`, this.isNot === true, work)
}

/** The estimate matcher, for `expect.extend`. */
export const ESTIMATE_MATCHERS = {
  toEstimateUnderMs,
}
