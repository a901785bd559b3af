/**
 * `modelgate report`: print a gate report, merge shard reports, or chart the accuracy–efficiency trade-off.
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ModelgateError } from '../errors.js'
import { renderColumns } from '../report/format.js'
import { escapeTerminal } from '../report/escape.js'
import { TRADEOFF_AXES, collectModelMetrics, paretoFrontier, type ParetoPoint } from '../report/pareto.js'
import { mergeReports, readReport, renderMarkdown, renderParetoSvg, renderTerminal, summarizeVerdicts, wantsColor, type GateReport } from '../report/index.js'
import { formatValue, metricLabel } from '../report/values.js'
import type { CliIo } from './io.js'

export const REPORT_USAGE = `modelgate report <report.json>... [--markdown]
modelgate report --merge <a.json> <b.json>... [--out merged.json]
modelgate report --pareto <x>,<y> <report.json>... [--out chart.svg] [--log-x]

Reads modelgate-report.json files written by the reporter (several are merged first).

  --markdown        print the markdown of the PR comment instead of the terminal table
  --merge           merge the reports of a sharded suite (vitest --shard=i/n) into one
  --pareto X,Y      the trade-off table and an SVG chart with the Pareto frontier;
                    X (lower is better): latency, macs, flops, params, size or a metric key;
                    Y (higher is better): accuracy or any higher-is-better metric key
  --out FILE        where --merge writes (default: stdout) / where --pareto writes
                    (default: modelgate-pareto.svg)
  --log-x           logarithmic x axis (ticks 1-2-5)
`

/** Runs the command; returns the exit code. */
export async function reportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      merge: { type: 'boolean' },
      pareto: { type: 'string' },
      out: { type: 'string' },
      markdown: { type: 'boolean' },
      'log-x': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(REPORT_USAGE)
    return 0
  }
  if (positionals.length === 0) throw new ModelgateError('E_CLI_USAGE', 'report needs at least one report file.', { value: positionals })
  if (values.merge === true && values.pareto !== undefined) throw new ModelgateError('E_CLI_USAGE', 'Give --merge or --pareto, not both.', { value: args })
  const reports = await Promise.all(positionals.map((p) => readReport(resolve(io.cwd, p))))

  if (values.pareto !== undefined) return paretoCommand(values.pareto, reports, values.out ?? 'modelgate-pareto.svg', values['log-x'] === true, io)
  const merged = reports.length === 1 ? reports[0]! : mergeReports(reports)
  if (values.merge === true) {
    const json = `${JSON.stringify(merged, null, 2)}\n`
    if (values.out === undefined) {
      io.stdout.write(json)
    } else {
      await writeFile(resolve(io.cwd, values.out), json)
      io.stdout.write(`merged ${reports.length} reports${merged.shards.length > 0 ? ` (shards ${merged.shards.join(', ')})` : ''}: ${summarizeVerdicts(merged.results)} → ${values.out}\n`)
    }
    return 0
  }
  io.stdout.write(values.markdown === true ? renderMarkdown(merged) : renderTerminal(merged, { color: wantsColor(io.env, io.stdout.isTTY === true) }))
  return 0
}

async function paretoCommand(spec: string, reports: readonly GateReport[], out: string, logX: boolean, io: CliIo): Promise<number> {
  const [xName, yName, ...extra] = spec.split(',').map((s) => s.trim())
  if (xName === undefined || yName === undefined || xName === '' || yName === '' || extra.length > 0) {
    throw new ModelgateError('E_CLI_USAGE', `--pareto ${JSON.stringify(spec)} is not X,Y (e.g. latency,accuracy).`, { value: spec })
  }
  const xKey = TRADEOFF_AXES[xName] ?? xName
  const yKey = TRADEOFF_AXES[yName] ?? yName
  const models = collectModelMetrics(reports)
  const points: ParetoPoint[] = []
  const skipped: string[] = []
  let xUnit: string | undefined
  let yUnit: string | undefined
  for (const [model, metrics] of [...models].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const x = metrics.get(xKey)
    const y = metrics.get(yKey)
    if (x === undefined || y === undefined) {
      skipped.push(model)
      continue
    }
    if (x.direction !== 'lower') throw new ModelgateError('E_CLI_USAGE', `--pareto: ${xKey} is higher-is-better; the x axis takes a cost (latency, macs, flops, params, size).`, { value: xKey })
    if (y.direction !== 'higher') throw new ModelgateError('E_CLI_USAGE', `--pareto: ${yKey} is lower-is-better; the y axis takes a quality such as accuracy.`, { value: yKey })
    if ((xUnit ?? x.unit) !== x.unit || (yUnit ?? y.unit) !== y.unit) throw new ModelgateError('E_CLI_USAGE', `--pareto: the models record ${xKey} or ${yKey} in different units.`, { value: model })
    xUnit = x.unit
    yUnit = y.unit
    // Ratios (0–1) are shown as percentages on the chart and in the table.
    points.push({ name: model, x: x.unit === 'ratio' ? x.value * 100 : x.value, y: y.unit === 'ratio' ? y.value * 100 : y.value })
  }
  if (points.length === 0 || xUnit === undefined || yUnit === undefined) {
    const found = [...new Set([...models.values()].flatMap((m) => [...m.keys()]))].sort()
    throw new ModelgateError('E_CLI_USAGE', `No model in the reports has both ${xKey} and ${yKey} (metrics found: ${found.join(', ') || 'none'}).`, { value: spec })
  }
  const unit = (u: string): string => (u === 'ratio' ? '%' : u)
  const result = paretoFrontier(points)
  const dominatedBy = new Map(result.dominated.map((d) => [d.point, d.by]))
  const rows = [...result.frontier, ...result.dominated.map((d) => d.point)].map((p) => {
    const params = xKey === 'params' ? undefined : models.get(p.name)?.get('params')
    const by = dominatedBy.get(p)
    return [
      escapeTerminal(p.name),
      formatValue(p.y, unit(yUnit)),
      formatValue(p.x, unit(xUnit)),
      ...(xKey === 'params' ? [] : [params === undefined ? '—' : formatValue(params.value, params.unit)]),
      by === undefined ? 'on the frontier' : `dominated by ${escapeTerminal(by.name)}`,
    ]
  })
  const header = ['model', metricLabel(yKey), metricLabel(xKey), ...(xKey === 'params' ? [] : ['params']), 'Pareto']
  io.stdout.write(`${renderColumns(header, rows, new Set([1, 2, 3].slice(0, header.length - 2)))}\n`)
  if (skipped.length > 0) io.stdout.write(`\nnot charted (no ${xKey} or ${yKey}): ${skipped.map((s) => escapeTerminal(s)).join(', ')}\n`)
  const svg = renderParetoSvg(result, {
    x: { label: metricLabel(xKey), unit: unit(xUnit), direction: 'lower', log: logX },
    y: { label: metricLabel(yKey), unit: unit(yUnit), direction: 'higher' },
  })
  await writeFile(resolve(io.cwd, out), svg)
  io.stdout.write(`\nchart: ${out}\n`)
  return 0
}
