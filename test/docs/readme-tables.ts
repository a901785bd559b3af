/**
 * The README's generated tables: the op cost table (from the op registry) and the error codes (from the
 * error table). `npm run gen:readme` rewrites them between their markers; a test fails when they are stale.
 */
import { costFormulas } from '../../src/analysis/index.js'
import { ERROR_FIXES } from '../../src/errors.js'

const escapeCell = (s: string): string => s.replaceAll('|', '\\|')

/** The cost table, one row per registered op. */
export function costTable(): string {
  const rows = costFormulas().map(({ op, formula }) => `| \`${op}\` | ${escapeCell(formula)} |`)
  return ['| op | cost of one execution |', '|---|---|', ...rows].join('\n')
}

/** The error code table. */
export function errorTable(): string {
  const rows = Object.entries(ERROR_FIXES).map(([code, fix]) => `| \`${code}\` | ${escapeCell(fix)} |`)
  return ['| code | what to do |', '|---|---|', ...rows].join('\n')
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const i = text.indexOf(start)
  const j = text.indexOf(end)
  if (i < 0 || j < i) throw new Error(`README has no ${start} … ${end} section`)
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`
}

/** The README with both tables regenerated. */
export function regenerateReadme(text: string): string {
  return replaceSection(replaceSection(text, 'cost-table', costTable()), 'error-codes', errorTable())
}
