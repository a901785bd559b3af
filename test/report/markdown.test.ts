import { describe, expect, test } from 'vitest'
import { COMMENT_MARKER, renderMarkdown } from '../../src/report/index.js'
import { latency, report, result, staticFigures } from './sample-reports.js'

describe('renderMarkdown', () => {
  test('each latency row says whether it was paired, same-model or unpaired, in the markdown and the JSON', () => {
    const results = [
      latency('models/same.onnx', 6, 5.05, { verdict: 'pass', pairing: 'same-model' }),
      latency('models/swapped.onnx', 6, 7.3, { verdict: 'regression', pairing: 'paired', note: 'paired with the baseline\'s bytes (git object 0123456789ab) in 400 interleaved rounds (6.2 s): ratio 1.21 (95 % CI 1.16–1.26, current/baseline), threshold 10 %: slower beyond the threshold' }),
      latency('models/downloaded.onnx', 6, 7.3, { verdict: 'inconclusive', pairing: 'unpaired', note: 'unpaired (the baseline\'s model bytes are not in this shallow clone …)' }),
    ]
    const md = renderMarkdown(report(results))
    expect(md).toContain('| ❌ regression (paired) | `models/swapped.onnx` | latency p50 | 6 ms | 7.3 ms | +21.7 % | +10 % |')
    expect(md).toContain('| ⚠️ inconclusive (unpaired) | `models/downloaded.onnx` | latency p50 | 6 ms | 7.3 ms | +21.7 % | +10 % |')
    expect(md).toContain('| ✅ unchanged (same model) | `models/same.onnx` | latency p50 | 6 ms | 5.05 ms | -15.8 % | +10 % |')
    const json = JSON.parse(JSON.stringify(report(results))) as { results: { model: string; pairing?: string }[] }
    expect(json.results.map((r) => [r.model, r.pairing])).toEqual([['models/same.onnx', 'same-model'], ['models/swapped.onnx', 'paired'], ['models/downloaded.onnx', 'unpaired']])
  })

  test('a run where every metric passes says so in the headline and folds the table away', () => {
    expect(renderMarkdown(report([...staticFigures('models/resnet18.onnx'), latency('models/resnet18.onnx', 12.5, 12.7)]))).toMatchInlineSnapshot(`
      "<!-- modelgate:report v1 -->
      ## modelgate · 5 unchanged
      <sub>machine AMD EPYC 7763 ×2, linux-x64, node 20.20.2 · engine onnxruntime-node 1.30.0 (cpu, all) · threads intra-op 1, inter-op 1 · batch 1 · modelgate 0.1.0, cost model 1.0.0</sub>

      No metric changed beyond its limit.

      <details><summary>All 5 metrics</summary>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ✅ unchanged | \`models/resnet18.onnx\` | params | 11.69 M params | 11.69 M params | ±0 % | exact |
      | ✅ unchanged | \`models/resnet18.onnx\` | MACs | 1.814 G MACs | 1.814 G MACs | ±0 % | exact |
      | ✅ unchanged | \`models/resnet18.onnx\` | FLOPs | 3.644 G FLOPs | 3.644 G FLOPs | ±0 % | exact |
      | ✅ unchanged | \`models/resnet18.onnx\` | size | 44.66 MiB | 44.66 MiB | ±0 % | exact |
      | ✅ unchanged | \`models/resnet18.onnx\` | latency p50 | 12.5 ms | 12.7 ms | +1.60 % | +10 % |

      </details>
      "
    `)
  })

  test('regressions come first, with baseline, current, Δ and the limit that was crossed', () => {
    const md = renderMarkdown(
      report([
        ...staticFigures('models/mobilenet.onnx'),
        result({ model: 'models/resnet18.onnx', metric: 'params', baseline: 11_689_512, current: 11_712_040, verdict: 'regression' }),
        result({ model: 'models/resnet18.onnx', metric: 'macs', unit: 'MACs', baseline: null, current: 2.1e9, verdict: 'over-budget', budget: 2e9 }),
        latency('models/tiny.onnx', 0.0079, 0.0096, { verdict: 'regression' }),
        latency('models/big.onnx', 8, 8.9, { verdict: 'inconclusive', note: 'the 95 % interval of the ratio [0.97, 1.24] straddles the 10 % threshold' }),
      ]),
    )
    expect(md).toMatchInlineSnapshot(`
      "<!-- modelgate:report v1 -->
      ## modelgate · 2 regressions · 1 over budget · 1 inconclusive · 4 unchanged
      <sub>machine AMD EPYC 7763 ×2, linux-x64, node 20.20.2 · engine onnxruntime-node 1.30.0 (cpu, all) · threads intra-op 1, inter-op 1 · batch 1 · modelgate 0.1.0, cost model 1.0.0</sub>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ❌ regression | \`models/resnet18.onnx\` | params | 11.69 M params | 11.71 M params | +0.19 % | exact |
      | ❌ regression | \`models/tiny.onnx\` | latency p50 | 7.9 µs | 9.6 µs | +21.5 % | +10 % |
      | ❌ over budget | \`models/resnet18.onnx\` | MACs | — | 2.1 G MACs | — | ≤ 2 G MACs |
      | ⚠️ inconclusive | \`models/big.onnx\` | latency p50 | 8 ms | 8.9 ms | +11.3 % | +10 % |

      - \`models/big.onnx\` latency p50: the 95 % interval of the ratio \\[0.97, 1.24\\] straddles the 10 % threshold

      <details><summary>All 8 metrics</summary>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ⚠️ inconclusive | \`models/big.onnx\` | latency p50 | 8 ms | 8.9 ms | +11.3 % | +10 % |
      | ✅ unchanged | \`models/mobilenet.onnx\` | params | 11.69 M params | 11.69 M params | ±0 % | exact |
      | ✅ unchanged | \`models/mobilenet.onnx\` | MACs | 1.814 G MACs | 1.814 G MACs | ±0 % | exact |
      | ✅ unchanged | \`models/mobilenet.onnx\` | FLOPs | 3.644 G FLOPs | 3.644 G FLOPs | ±0 % | exact |
      | ✅ unchanged | \`models/mobilenet.onnx\` | size | 44.66 MiB | 44.66 MiB | ±0 % | exact |
      | ❌ regression | \`models/resnet18.onnx\` | params | 11.69 M params | 11.71 M params | +0.19 % | exact |
      | ❌ over budget | \`models/resnet18.onnx\` | MACs | — | 2.1 G MACs | — | ≤ 2 G MACs |
      | ❌ regression | \`models/tiny.onnx\` | latency p50 | 7.9 µs | 9.6 µs | +21.5 % | +10 % |

      </details>

      To accept these figures as the new baselines, run \`npx vitest run -u\` and commit the baseline files.
      "
    `)
  })

  test('improvements are listed as changes without failing the headline', () => {
    const md = renderMarkdown(
      report([
        result({ model: 'models/student.onnx', metric: 'macs', unit: 'MACs', baseline: 4.1e9, current: 3.2e9, tolerance: { relative: 0.01 }, verdict: 'improvement' }),
        result({ model: 'models/student.onnx', metric: 'accuracy', unit: 'ratio', direction: 'higher', baseline: 0.761, current: 0.772, tolerance: { absolute: 0.005 }, verdict: 'improvement' }),
        result({ model: 'models/student.onnx', metric: 'params', baseline: 5_000_000 }),
      ]),
    )
    expect(md).toMatchInlineSnapshot(`
      "<!-- modelgate:report v1 -->
      ## modelgate · 2 improvements · 1 unchanged
      <sub>static analysis only (no measured metrics) · modelgate 0.1.0, cost model 1.0.0</sub>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ⚡ improvement | \`models/student.onnx\` | MACs | 4.1 G MACs | 3.2 G MACs | -22.0 % | +1 % |
      | ⚡ improvement | \`models/student.onnx\` | accuracy | 76.1 % | 77.2 % | +1.45 % | -0.5 pp |

      <details><summary>All 3 metrics</summary>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ✅ unchanged | \`models/student.onnx\` | params | 5 M params | 5 M params | ±0 % | exact |
      | ⚡ improvement | \`models/student.onnx\` | MACs | 4.1 G MACs | 3.2 G MACs | -22.0 % | +1 % |
      | ⚡ improvement | \`models/student.onnx\` | accuracy | 76.1 % | 77.2 % | +1.45 % | -0.5 pp |

      </details>

      To accept these figures as the new baselines, run \`npx vitest run -u\` and commit the baseline files.
      "
    `)
  })

  test('new entries have no baseline and obsolete ones no current value', () => {
    const md = renderMarkdown(
      report([
        result({ model: 'models/new-head.onnx', metric: 'params', baseline: null, current: 2_345_678, verdict: 'new' }),
        result({ model: 'models/new-head.onnx', metric: 'sizeBytes', unit: 'bytes', baseline: null, current: 9_400_123, verdict: 'new' }),
        result({ model: 'models/retired.onnx', metric: 'macs', unit: 'MACs', baseline: 6.2e8, current: null, verdict: 'obsolete', note: 'no test produced this entry; `vitest run -u` removes it' }),
        result({ model: 'models/kept.onnx', metric: 'params', baseline: 1000 }),
      ]),
    )
    expect(md).toMatchInlineSnapshot(`
      "<!-- modelgate:report v1 -->
      ## modelgate · 2 new · 1 obsolete · 1 unchanged
      <sub>static analysis only (no measured metrics) · modelgate 0.1.0, cost model 1.0.0</sub>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | 🆕 new | \`models/new-head.onnx\` | params | — | 2.346 M params | — | exact |
      | 🆕 new | \`models/new-head.onnx\` | size | — | 8.965 MiB | — | exact |
      | 🗑️ obsolete | \`models/retired.onnx\` | MACs | 620 M MACs | — | — | exact |

      - \`models/retired.onnx\` MACs: no test produced this entry; \\\`vitest run -u\\\` removes it

      <details><summary>All 4 metrics</summary>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ✅ unchanged | \`models/kept.onnx\` | params | 1 k params | 1 k params | ±0 % | exact |
      | 🆕 new | \`models/new-head.onnx\` | params | — | 2.346 M params | — | exact |
      | 🆕 new | \`models/new-head.onnx\` | size | — | 8.965 MiB | — | exact |
      | 🗑️ obsolete | \`models/retired.onnx\` | MACs | 620 M MACs | — | — | exact |

      </details>

      To accept these figures as the new baselines, run \`npx vitest run -u\` and commit the baseline files.
      "
    `)
  })

  test('latency measured under other conditions is incomparable, with the reason', () => {
    const md = renderMarkdown(
      report([
        latency('models/resnet18.onnx', 12.1, 15.3, {
          verdict: 'incomparable',
          note: 'the baseline was measured with onnxruntime-node 1.29.0 on Intel Xeon 8370C ×4 (now 1.30.0 on AMD EPYC 7763 ×2); rerun the baseline on this machine',
        }),
        latency('models/resnet18.onnx', 12.1, 12.3, { metric: 'latency.p95' }),
        ...staticFigures('models/resnet18.onnx'),
      ]),
    )
    expect(md).toMatchInlineSnapshot(`
      "<!-- modelgate:report v1 -->
      ## modelgate · 1 incomparable · 5 unchanged
      <sub>machine AMD EPYC 7763 ×2, linux-x64, node 20.20.2 · engine onnxruntime-node 1.30.0 (cpu, all) · threads intra-op 1, inter-op 1 · batch 1 · modelgate 0.1.0, cost model 1.0.0</sub>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ❔ incomparable | \`models/resnet18.onnx\` | latency p50 | 12.1 ms | 15.3 ms | +26.4 % | +10 % |

      - \`models/resnet18.onnx\` latency p50: the baseline was measured with onnxruntime-node 1.29.0 on Intel Xeon 8370C ×4 (now 1.30.0 on AMD EPYC 7763 ×2); rerun the baseline on this machine

      <details><summary>All 6 metrics</summary>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ✅ unchanged | \`models/resnet18.onnx\` | params | 11.69 M params | 11.69 M params | ±0 % | exact |
      | ✅ unchanged | \`models/resnet18.onnx\` | MACs | 1.814 G MACs | 1.814 G MACs | ±0 % | exact |
      | ✅ unchanged | \`models/resnet18.onnx\` | FLOPs | 3.644 G FLOPs | 3.644 G FLOPs | ±0 % | exact |
      | ✅ unchanged | \`models/resnet18.onnx\` | size | 44.66 MiB | 44.66 MiB | ±0 % | exact |
      | ❔ incomparable | \`models/resnet18.onnx\` | latency p50 | 12.1 ms | 15.3 ms | +26.4 % | +10 % |
      | ✅ unchanged | \`models/resnet18.onnx\` | latency p95 | 12.1 ms | 12.3 ms | +1.65 % | +10 % |

      </details>

      To accept these figures as the new baselines, run \`npx vitest run -u\` and commit the baseline files.
      "
    `)
  })

  test('names carrying markdown or HTML are shown literally, never interpreted', () => {
    const md = renderMarkdown(
      report([
        result({ model: 'models/<img src=x onerror=alert(1)>|`pwn`.onnx', metric: 'params', baseline: 10, current: 12, verdict: 'regression' }),
        result({ model: '**bold** [link](https://evil.example) @octocat #1\n| injected | row |', metric: 'custom_<b>score</b>', unit: 'points', direction: 'higher', baseline: 3, current: 2, verdict: 'regression', note: '</details><script>alert(1)</script> @admin' }),
      ]),
    )
    expect(md).toMatchInlineSnapshot(`
      "<!-- modelgate:report v1 -->
      ## modelgate · 2 regressions
      <sub>static analysis only (no measured metrics) · modelgate 0.1.0, cost model 1.0.0</sub>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ❌ regression | \`**bold** [link](https://evil.example) @octocat #1 \\| injected \\| row \\|\` | custom\\_&lt;b&gt;score&lt;/b&gt; | 3 points | 2 points | -33.3 % | exact |
      | ❌ regression | \`\`models/<img src=x onerror=alert(1)>\\|\`pwn\`.onnx\`\` | params | 10 params | 12 params | +20.0 % | exact |

      - \`**bold** [link](https://evil.example) @octocat #1 | injected | row |\` custom\\_&lt;b&gt;score&lt;/b&gt;: &lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt; &#64;admin

      <details><summary>All 2 metrics</summary>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ❌ regression | \`**bold** [link](https://evil.example) @octocat #1 \\| injected \\| row \\|\` | custom\\_&lt;b&gt;score&lt;/b&gt; | 3 points | 2 points | -33.3 % | exact |
      | ❌ regression | \`\`models/<img src=x onerror=alert(1)>\\|\`pwn\`.onnx\`\` | params | 10 params | 12 params | +20.0 % | exact |

      </details>

      To accept these figures as the new baselines, run \`npx vitest run -u\` and commit the baseline files.
      "
    `)
    // Inside code spans nothing is interpreted; everywhere else no raw HTML or mention may remain.
    const outsideCode = md.replace(COMMENT_MARKER, '').replace(/``.*?``/g, '').replace(/`[^`]*`/g, '')
    expect(outsideCode).not.toMatch(/<(img|script|\/details>[^\n])/)
    expect(outsideCode).not.toMatch(/(^|\s)@\w/)
    expect(md.split('\n').filter((l) => l.startsWith('| ❌')).every((l) => l.split(/(?<!\\)\|/).length === 9)).toBe(true)
  })

  test('500 models stay under GitHub\'s 65,536 characters, with a note saying what was left out', () => {
    const results = Array.from({ length: 500 }, (_, i) => {
      const model = `models/zoo/family-${String(Math.floor(i / 10)).padStart(2, '0')}/variant-${String(i).padStart(3, '0')}.onnx`
      return [
        result({ model, metric: 'params', baseline: 1_000_000 + i, current: i % 5 === 0 ? 1_100_000 + i : 1_000_000 + i, verdict: i % 5 === 0 ? 'regression' : 'pass' }),
        result({ model, metric: 'macs', unit: 'MACs', baseline: 2e8 + i }),
        latency(model, 4 + i / 100, 4 + i / 100),
      ]
    }).flat()
    const md = renderMarkdown(report(results))
    expect(md.length).toBeLessThan(65_536)
    expect(md.startsWith(`${COMMENT_MARKER}\n## modelgate · 100 regressions · 1400 unchanged\n`)).toBe(true)
    expect(md.split('\n').filter((l) => l.startsWith('| ❌ regression')).length).toBeGreaterThan(100)
    expect(md.split('\n').slice(-12).join('\n')).toMatchInlineSnapshot(`
      "| ✅ unchanged | \`models/zoo/family-16/variant-160.onnx\` | latency p50 | 5.6 ms | 5.6 ms | ±0 % | +10 % |
      | ✅ unchanged | \`models/zoo/family-16/variant-161.onnx\` | params | 1 M params | 1 M params | ±0 % | exact |
      | ✅ unchanged | \`models/zoo/family-16/variant-161.onnx\` | MACs | 200 M MACs | 200 M MACs | ±0 % | exact |
      | ✅ unchanged | \`models/zoo/family-16/variant-161.onnx\` | latency p50 | 5.61 ms | 5.61 ms | ±0 % | +10 % |
      | ✅ unchanged | \`models/zoo/family-16/variant-162.onnx\` | params | 1 M params | 1 M params | ±0 % | exact |

      _487 of 1500 metrics are shown: the comment is limited to 65,536 characters. Every metric is in \`modelgate-report.json\`._

      </details>

      To accept these figures as the new baselines, run \`npx vitest run -u\` and commit the baseline files.
      "
    `)
  })

  test('a smaller maxLength is honoured as well', () => {
    const results = Array.from({ length: 50 }, (_, i) => result({ model: `m${i}.onnx`, baseline: 1, current: 2, verdict: 'regression' }))
    const md = renderMarkdown(report(results), { maxLength: 3000 })
    expect(md.length).toBeLessThanOrEqual(3000)
    expect(md).toContain('more changed metrics are not shown')
  })

  test('an empty run says that nothing was recorded', () => {
    expect(renderMarkdown(report([]))).toMatchInlineSnapshot(`
      "<!-- modelgate:report v1 -->
      ## modelgate · no metrics recorded
      <sub>static analysis only (no measured metrics) · modelgate 0.1.0, cost model 1.0.0</sub>

      No metrics were recorded in this run.
      "
    `)
  })
})
