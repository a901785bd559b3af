/**
 * Escaping of untrusted names (model paths, test names, CPU strings) for the places a report puts them:
 * markdown table cells, markdown prose, SVG/XML text, CSV cells and GitHub workflow commands.
 */

/** Longest name shown in a report; longer names are cut in the middle so both ends stay readable. */
export const MAX_NAME_LENGTH = 120

/** Cuts a long name in the middle ("abc…xyz") and folds line breaks and tabs into spaces. */
export function clipName(name: string, max = MAX_NAME_LENGTH): string {
  const flat = name.replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ')
  if (flat.length <= max) return flat
  const head = Math.ceil((max - 1) / 2)
  return `${flat.slice(0, head)}…${flat.slice(flat.length - (max - 1 - head))}`
}

/**
 * A name as an inline code span that is safe inside a GFM table cell: no markdown, HTML, @mention or #ref is
 * interpreted inside a code span; the fence is longer than any backtick run in the name, and pipes are escaped
 * when `inTable` because GFM splits table cells on `|` even inside code spans (and drops the backslash there).
 */
export function codeSpan(name: string, options: { readonly inTable?: boolean } = {}): string {
  const text = clipName(name)
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  // A code span's content that starts or ends with a backtick (or is all spaces) needs a padding space.
  const pad = text.startsWith('`') || text.endsWith('`') || /^ *$/.test(text) ? ' ' : ''
  return `${fence}${pad}${options.inTable === true ? text.replace(/\|/g, '\\|') : text}${pad}${fence}`
}

/**
 * Text as markdown prose (inside a line, never at its start) that renders literally: the inline markdown
 * punctuation (emphasis, code, links, strike-through, table pipes) is backslash-escaped, `<`, `>` and `&` become
 * entities (no raw HTML), `@` becomes an entity (no mention pings) and line breaks become spaces.
 */
export function escapeMarkdownText(text: string): string {
  return clipName(text, 400)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
}

/** Text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function escapeCsv(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The message part of a GitHub workflow command (`::error …::message`). */
export function escapeWorkflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A property value of a GitHub workflow command (`file=…,title=…`). */
export function escapeWorkflowProperty(text: string): string {
  return escapeWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** Text for a terminal: control characters (escape sequences could restyle or rewrite the screen) become `?`. */
export function escapeTerminal(text: string, max = MAX_NAME_LENGTH): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return clipName(text, max).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
}
