/**
 * Issue 13 item 2 in the gate report: a count past 2^53 is carried as its decimal digits, read back only when it
 * is digits, and rendered exactly where rounding would hide a change. Ordinary values keep their number path.
 */
import { describe, expect, test } from 'vitest'
import { checkReport, mergeReports, renderMarkdown } from '../../src/report/index.js'
import { formatDelta, formatPair, reportValue } from '../../src/report/values.js'
import { report, result } from './sample-reports.js'

// 2^80 and 2^80 + 1; the nearest double of both is 2^80 (doubles are 2^28 apart there)
const TWO_80 = '1208925819614629174706176'
const TWO_80_PLUS_1 = '1208925819614629174706177'

describe('exact counts in report rows', () => {
  test('the reader accepts decimal digits and refuses any other string', () => {
    const row = (over: object) => report([{ ...result({ model: 'm.onnx', metric: 'macs', unit: 'MACs' }), ...over }])
    expect(checkReport(JSON.parse(JSON.stringify(row({ baseline: TWO_80, current: TWO_80_PLUS_1 }))))).toBeUndefined()
    for (const bad of ['1.2089258196146292e+24', '-5', ' 12', '12 ', '', '0x10', 'N*4']) {
      expect(checkReport(row({ current: bad }))).toBe(`results[0].current is ${JSON.stringify(bad)}, not a number, the decimal digits of an exact count, or null`)
    }
    expect(checkReport(row({ baseline: '1e3' }))).toMatch(/^results\[0\]\.baseline is "1e3"/)
    expect(checkReport(row({ deltaPct: '1' }))).toBe('results[0].deltaPct is not a number or null')
  })

  test('a decimal string within the safe range becomes its number; one past it stays digits', () => {
    // 10^15 < 2^53 ≈ 9.007 · 10^15; 2^53 + 1 = 9007199254740993 is the first integer a double cannot hold
    expect(reportValue('1000000000000000')).toBe(1e15)
    expect(reportValue('9007199254740993')).toBe('9007199254740993')
    expect(reportValue(TWO_80)).toBe(TWO_80)
    expect(reportValue(12.5)).toBe(12.5)
  })

  test('values that round alike print every digit; exact equals print rounded', () => {
    const changed = result({ model: 'm.onnx', metric: 'macs', unit: 'MACs', baseline: TWO_80, current: TWO_80_PLUS_1, verdict: 'regression' })
    expect(formatPair(changed)).toEqual(['1,208,925,819,614,629,174,706,176 MACs', '1,208,925,819,614,629,174,706,177 MACs'])
    expect(formatPair({ ...changed, current: TWO_80, verdict: 'pass' })).toEqual(['1.209 Y MACs', '1.209 Y MACs'])
    // bytes: 2^80 B = 1 YiB exactly
    expect(formatPair({ ...changed, unit: 'bytes', metric: 'sizeBytes' })).toEqual(['1,208,925,819,614,629,174,706,176 B', '1,208,925,819,614,629,174,706,177 B'])
    expect(formatPair({ ...changed, unit: 'bytes', metric: 'sizeBytes', current: TWO_80 })).toEqual(['1 YiB', '1 YiB'])
    // a number baseline of 2^60 against the digits of 2^60 + 1 (both print 1.153 E): the digits decide
    expect(formatPair({ ...changed, baseline: 2 ** 60, current: (2n ** 60n + 1n).toString() })).toEqual(['1,152,921,504,606,846,976 MACs', '1,152,921,504,606,846,977 MACs'])
  })

  test('Δ: a change too small for two decimals keeps two significant digits; ordinary Δ unchanged', () => {
    // 1 / 2^80 × 100 = 8.2718… · 10^-23 %
    expect(formatDelta(100 / 2 ** 80)).toBe('+8.3e-23 %')
    expect(formatDelta(-0.0012345)).toBe('-0.0012 %')
    expect(formatDelta(0.005)).toBe('+0.01 %')
    expect(formatDelta(20)).toBe('+20.0 %')
    expect(formatDelta(-3.2)).toBe('-3.20 %')
    expect(formatDelta(0)).toBe('±0 %')
  })

  test('a merged report keeps the digits, and its markdown shows them', () => {
    const row = result({ model: 'm.onnx', metric: 'macs', unit: 'MACs', baseline: TWO_80, current: TWO_80_PLUS_1, verdict: 'regression', test: { file: 't.test.ts', name: 't' } })
    const merged = mergeReports([report([row], { shards: ['1/2'] }), report([], { shards: ['2/2'] })])
    const json = JSON.stringify(merged)
    expect(json).toContain(`"baseline":"${TWO_80}","current":"${TWO_80_PLUS_1}"`)
    expect(renderMarkdown(JSON.parse(json) as typeof merged)).toContain('| MACs | 1,208,925,819,614,629,174,706,176 MACs | 1,208,925,819,614,629,174,706,177 MACs | +8.3e-23 % | exact |')
  })
})
