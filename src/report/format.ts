/**
 * Number formatting with explicit units. Symbolic values (strings) print as they are; counts past 2^53 (exact
 * decimal strings) print rounded like numbers, or with every digit by {@link formatExact}.
 */
import { isBigDim, type Dim } from '../analysis/dims.js'

const SI = [
  [1e24, 'Y'],
  [1e21, 'Z'],
  [1e18, 'E'],
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
] as const

/** 25557032 → "25.56 M"; 4089184256 → "4.089 G". Symbolic values are returned unchanged. */
export function formatSi(value: Dim | null, digits = 4): string {
  if (value === null) return '—'
  if (isBigDim(value)) return formatSi(Number(value), digits)
  if (typeof value === 'string') return value
  for (const [scale, unit] of SI) {
    if (Math.abs(value) >= scale) return `${trim((value / scale).toPrecision(digits))} ${unit}`
  }
  return String(value)
}

/** 25557032 → "25,557,032". */
export function formatExact(value: Dim | null): string {
  if (value === null) return '—'
  if (isBigDim(value)) return BigInt(value).toLocaleString('en-US')
  if (typeof value === 'string') return value
  // an integer past 2^53 held as a double (an older baseline's 2^60): its exact value, not 17 digits and zeros
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return BigInt(value).toLocaleString('en-US')
  return value.toLocaleString('en-US')
}

/** Bytes with binary units: 102228128 → "97.49 MiB". */
export function formatBytes(value: Dim | null): string {
  if (value === null) return '—'
  if (typeof value === 'string' && !isBigDim(value)) return `${value} B`
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']
  let v = Number(value)
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${trim(v.toPrecision(4))} ${units[i]}`
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s
}

/** Pads cells into aligned columns; numeric-looking columns are right-aligned. */
export function renderColumns(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}
