/**
 * Reports: a gate report → markdown (PR comment, job summary), terminal table, published files, merged shards,
 * the Pareto trade-off and its SVG chart, and the sticky PR comment (the only network code).
 */
export { renderMarkdown, COMMENT_MARKER, GITHUB_COMMENT_LIMIT } from './markdown.js'
export type { MarkdownOptions } from './markdown.js'
export { renderTerminal } from './terminal.js'
export type { TerminalOptions } from './terminal.js'
export { publishReport, renderAnnotations, wantsColor, REPORT_FILES, MAX_ANNOTATIONS } from './publish.js'
export type { PublishOptions } from './publish.js'
export { mergeReports } from './merge.js'
export { readReport, checkReport } from './read.js'
export { paretoFrontier, collectModelMetrics, TRADEOFF_AXES } from './pareto.js'
export type { ParetoPoint, ParetoOptions, ParetoResult, ModelMetricValue } from './pareto.js'
export { renderParetoSvg } from './svg.js'
export type { ChartAxis, ParetoChartOptions } from './svg.js'
export { upsertStickyComment } from './github.js'
export type { FetchLike, StickyCommentOptions, StickyCommentResult } from './github.js'
export { summarizeVerdicts, sortResults } from './values.js'
export type { Direction, GateReport, MeasurementConditions, MetricResult, Tolerance, VerdictKind } from './types.js'
