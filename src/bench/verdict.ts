/**
 * The verdict of a paired latency comparison, and when two measurements cannot be compared at all. Pure.
 *
 * Rule (threshold t, default 0.10; ratio = median(B)/median(A), with its 95 % confidence interval [lo, hi]):
 * - `slower`  when lo > 1 + t/2: the data rule out any slowdown smaller than half the threshold;
 * - `faster`  when hi < 1/(1 + t/2): the mirror image in log space;
 * - `no-detectable-difference` otherwise.
 * The guard band at t/2 sits halfway between "no change" and "a change of the threshold": a slowdown of t is
 * called `slower` as soon as the interval is narrower than ±t/2 around it, while noise between two runs of the
 * same model (a few per cent at most, measured in `npm run bench:runner`) does not reach it. A slowdown of
 * half the threshold or less is never called `faster`.
 */

/** The verdict of a paired comparison. */
export type LatencyVerdict = 'faster' | 'slower' | 'no-detectable-difference' | 'incomparable'

/** The conditions two measurements must share to be compared. */
export interface EngineIdentity {
  readonly engine: { readonly name?: string; readonly version: string; readonly executionProvider: string }
  readonly intraOpThreads: number
  readonly interOpThreads: number
}

/** Default threshold: a 10 % slowdown. */
export const DEFAULT_THRESHOLD = 0.1

/**
 * The guard band of the latency verdict: a ratio interval must lie wholly above 1 + t/2 (or below its inverse).
 * @param threshold the slowdown that must be caught, as a fraction
 * @returns [1/(1 + t/2), 1 + t/2]
 */
export function guardBand(threshold: number): readonly [number, number] {
  const guard = 1 + threshold / 2
  return [1 / guard, guard]
}

/**
 * The verdict for a ratio's confidence interval.
 * @param ci the confidence interval of median(B)/median(A)
 * @param threshold the slowdown that must be caught, as a fraction (0.1 = 10 %)
 * @returns `slower`, `faster` or `no-detectable-difference`
 */
export function latencyVerdict(ci: readonly [number, number], threshold: number): Exclude<LatencyVerdict, 'incomparable'> {
  const [, guard] = guardBand(threshold)
  if (ci[0] > guard) return 'slower'
  if (ci[1] < 1 / guard) return 'faster'
  return 'no-detectable-difference'
}

/**
 * Why two measurements cannot be compared (engine version, execution provider or thread counts differ), or
 * null when they can. Latencies under such differences are not comparable by any normalisation.
 */
export function comparabilityIssue(a: EngineIdentity, b: EngineIdentity): string | null {
  const issues: string[] = []
  if (a.engine.name !== b.engine.name) issues.push(`engine ${a.engine.name ?? 'onnxruntime-node'} vs ${b.engine.name ?? 'onnxruntime-node'}`)
  if (a.engine.version !== b.engine.version) issues.push(`onnxruntime ${a.engine.version} vs ${b.engine.version}`)
  if (a.engine.executionProvider !== b.engine.executionProvider) issues.push(`execution provider ${a.engine.executionProvider} vs ${b.engine.executionProvider}`)
  if (a.intraOpThreads !== b.intraOpThreads) issues.push(`intra-op threads ${a.intraOpThreads} vs ${b.intraOpThreads}`)
  if (a.interOpThreads !== b.interOpThreads) issues.push(`inter-op threads ${a.interOpThreads} vs ${b.interOpThreads}`)
  return issues.length === 0 ? null : `measured under different conditions: ${issues.join(', ')}`
}
