/**
 * The modelgate reporter (`modelgate/reporter`): in the main process, at the end of a run, it collects what the
 * matchers sent through each test's meta, writes the baselines (the only writer), and publishes the gate report
 * (`modelgate-report.json` / `.md`, GitHub job summary and annotations, the terminal table).
 * The plugin adds it; listing it in `reporters` by hand works too.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { PROVIDE_KEY, type GateContext } from '../matchers/gate-context.js'
import type { GateReport, MetricResult } from '../report/types.js'
import { reportValue } from '../report/values.js'
import { collectRun } from './collect.js'
import { resolveGateContext, resolveUpdateMode } from './options.js'
import { writeBaselines, type WriteOutcome } from './write.js'

/** Options of {@link ModelgateReporter}. */
export interface ModelgateReporterOptions {
  /** The gate's resolved options (the plugin passes them; else they are read from the provided context). */
  readonly context?: GateContext
  /** Folder of the report files; false: no report. @default the root */
  readonly reportDir?: string | false
  /** Where the table and notes go. @default process.stdout */
  readonly stdout?: { write(s: string): unknown; readonly isTTY?: boolean }
}

/** The command that updates baselines, shown in reports. */
export const UPDATE_COMMAND = 'npx vitest run -u'

/** Marks reporter instances, so the plugin never adds a second one. */
export const MODELGATE_REPORTER = Symbol.for('modelgate.reporter')

/** The reporter. Default export of `modelgate/reporter`. */
export default class ModelgateReporter implements Reporter {
  readonly [MODELGATE_REPORTER] = true
  private vitest: Vitest | undefined
  private readonly options: ModelgateReporterOptions

  constructor(options: ModelgateReporterOptions = {}) {
    this.options = options
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  async onTestRunEnd(testModules: readonly TestModule[]): Promise<void> {
    const vitest = this.vitest
    if (vitest === undefined) return
    const context = this.options.context ?? providedContext(vitest)
    const run = collectRun(testModules, context)
    const fullRun = await isFullRun(vitest, testModules)
    const outcome = await writeBaselines(run, context, fullRun)
    const stdout = this.options.stdout ?? process.stdout
    const results = [...run.results, ...obsoleteResults(outcome)]
    printNotes(outcome, context, fullRun, stdout)
    if (results.length === 0 || this.options.reportDir === false) return
    const { COST_MODEL_VERSION } = await import('../analysis/index.js')
    const report: GateReport = {
      schema: 'modelgate-report/1',
      modelgateVersion: packageVersion(),
      costModelVersion: COST_MODEL_VERSION,
      shards: shardOf(vitest),
      results,
      updateCommand: UPDATE_COMMAND,
    }
    // Loaded only when there is something to publish, so configs that load the plugin stay light.
    const { publishReport } = await import('../report/index.js')
    await publishReport(report, { dir: resolve(context.root, this.options.reportDir ?? '.'), env: process.env, stdout })
  }
}

function providedContext(vitest: Vitest): GateContext {
  const provided = vitest.getRootProject().getProvidedContext() as { [PROVIDE_KEY]?: GateContext }
  const context = provided[PROVIDE_KEY]
  if (context !== undefined) return context
  const update = resolveUpdateMode({ snapshot: vitest.config.snapshotOptions.updateSnapshot, argv: process.argv, env: process.env })
  return resolveGateContext({}, vitest.config.root, update)
}

/** True when every test file ran with no name, shard, changed-files or project filter. */
async function isFullRun(vitest: Vitest, modules: readonly TestModule[]): Promise<boolean> {
  const config = vitest.config
  if (config.testNamePattern !== undefined || config.shard !== undefined || Boolean(config.changed) || (config.related?.length ?? 0) > 0) return false
  if ((config.project?.length ?? 0) > 0) return false
  const ran = new Set(modules.map((m) => m.moduleId))
  const all = await vitest.globTestSpecifications()
  return all.every((spec) => ran.has(spec.moduleId))
}

function obsoleteResults(outcome: WriteOutcome): MetricResult[] {
  return outcome.obsolete.flatMap(({ file, key, entry }) =>
    Object.entries(entry.metrics).map(([metric, m]): MetricResult => ({
      model: entry.model,
      metric,
      unit: m.unit,
      direction: m.direction,
      baseline: reportValue(m.value),
      current: null,
      deltaPct: null,
      tolerance: m.tolerance,
      verdict: 'obsolete',
      note: `entry ${JSON.stringify(key)} in ${file} was not checked by any test`,
    })),
  )
}

function printNotes(outcome: WriteOutcome, context: GateContext, fullRun: boolean, stdout: { write(s: string): unknown }): void {
  const lines: string[] = []
  for (const w of outcome.written) {
    const parts = [w.changed > 0 ? `${w.changed} entr${w.changed === 1 ? 'y' : 'ies'} written` : '', w.pruned > 0 ? `${w.pruned} obsolete pruned` : ''].filter((p) => p !== '')
    lines.push(`modelgate: ${w.file}: ${parts.join(', ') || 'rewritten'}`)
  }
  for (const d of outcome.deleted) lines.push(`modelgate: ${d}: deleted (obsolete)`)
  for (const u of outcome.unreadable) lines.push(`modelgate: ${u.file} was left unchanged: ${u.reason}`)
  const obsolete = outcome.obsolete.filter((o) => !outcome.deleted.includes(o.file)).length
  if (obsolete > 0 && !(context.update === 'all' && fullRun)) {
    lines.push(`modelgate: ${obsolete} obsolete baseline entr${obsolete === 1 ? 'y' : 'ies'} (no test checked ${obsolete === 1 ? 'it' : 'them'}); a full \`vitest run -u\` removes ${obsolete === 1 ? 'it' : 'them'}.`)
  }
  if (lines.length > 0) stdout.write(`\n${lines.join('\n')}\n`)
}

function shardOf(vitest: Vitest): string[] {
  const shard = vitest.config.shard
  return shard === undefined ? [] : [`${shard.index}/${shard.count}`]
}

let version: string | undefined

/** modelgate's version, from its package.json (two folders up from src/vitest or dist/vitest). */
function packageVersion(): string {
  if (version !== undefined) return version
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    version = typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    version = '0.0.0'
  }
  return version
}
