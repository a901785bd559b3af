import { describe, expect, test } from 'vitest'
import { clipName, codeSpan, escapeCsv, escapeMarkdownText, escapeWorkflowData, escapeWorkflowProperty, escapeXml } from '../../src/report/escape.js'

describe('escaping untrusted names', () => {
  test('a code span fence is longer than any backtick run inside, with padding when the name starts with one', () => {
    expect(codeSpan('a.onnx')).toBe('`a.onnx`')
    expect(codeSpan('a`b.onnx')).toBe('``a`b.onnx``')
    expect(codeSpan('`x``')).toBe('``` `x`` ```')
  })

  test('pipes are escaped in table cells only', () => {
    expect(codeSpan('a|b', { inTable: true })).toBe('`a\\|b`')
    expect(codeSpan('a|b')).toBe('`a|b`')
  })

  test('prose escapes emphasis, links, HTML and mentions', () => {
    expect(escapeMarkdownText('*a* _b_ [c](d) <e> & @f ~g~ `h` |')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) &lt;e&gt; &amp; &#64;f \\~g\\~ \\`h\\` \\|')
  })

  test('line breaks fold into spaces and long names are cut in the middle', () => {
    expect(clipName('a\r\nb\tc')).toBe('a b c')
    const long = `${'a'.repeat(100)}${'b'.repeat(100)}`
    expect(clipName(long, 11)).toBe('aaaaa…bbbbb')
  })

  test('XML, CSV and workflow-command escaping', () => {
    expect(escapeXml('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;')
    expect(escapeCsv('a,"b"')).toBe('"a,""b"""')
    expect(escapeCsv(12)).toBe('12')
    expect(escapeCsv(null)).toBe('')
    expect(escapeWorkflowData('50%\nnext')).toBe('50%25%0Anext')
    expect(escapeWorkflowProperty('C:\\a,b')).toBe('C%3A\\a%2Cb')
  })
})
