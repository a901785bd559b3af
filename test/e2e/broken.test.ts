/**
 * End to end: hand-broken baseline files (invalid JSON, merge-conflict markers, a wrong type, an unknown format
 * version) fail their checks with an error naming the file and where, and are left untouched unless updating.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseBaseline } from '../../src/baseline/index.js'
import { convModel, createProject, type FixtureProject } from './harness.js'

const KINDS = ['json', 'conflict', 'type', 'version'] as const

function suite(kind: string): string {
  return `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'

test('${kind}', async () => {
  await expect(await loadModel('models/net.onnx')).toMatchBaseline({ metrics: ['params'] })
})
`
}

function breakFile(kind: (typeof KINDS)[number], text: string): string {
  switch (kind) {
    case 'json':
      return text.replace('"schema"', '"schema" "oops"')
    case 'conflict':
      return text.replace('      "costModelVersion"', '<<<<<<< HEAD\n      "costModelVersion"').replace('      "dims"', '=======\n      "dims"').replace('      "metrics"', '>>>>>>> feature\n      "metrics"')
    case 'type':
      return text.replace('"value": 224', '"value": "224"')
    case 'version':
      return text.replace('"modelgate-baseline/1"', '"modelgate-baseline/9"')
  }
}

describe('hand-broken baseline files', () => {
  let project: FixtureProject
  const broken = new Map<string, string>()

  beforeAll(async () => {
    const files: Record<string, string | Uint8Array> = { 'models/net.onnx': convModel(8) }
    for (const kind of KINDS) files[`test/${kind}.test.ts`] = suite(kind)
    project = createProject(files, { test: "reporters: ['default'], maxWorkers: 2," })
    const first = await project.vitest(['run'])
    expect(first.code, first.output).toBe(0)
    for (const kind of KINDS) {
      const path = `baselines/test/${kind}.test.ts.json`
      const text = breakFile(kind, project.read(path))
      project.write(path, text)
      broken.set(kind, text)
    }
  })
  afterAll(() => project.remove())

  test('fail their checks with the file and the JSON path, and are not overwritten', async () => {
    const run = await project.vitest(['run'])
    expect(run.code).not.toBe(0)
    // V8 words JSON.parse errors differently by Node version (20: "Unexpected string", 22: "Expected ':' after
    // property name"); the message carries V8's words, the snapshot pins that it has some
    const errors = run.output.split('\n').filter((l) => l.startsWith('ModelgateError: ')).sort().map((l) => l.replace(/(not valid JSON at line \d+, column \d+) \([^()]+\)/, "$1 (<V8's reason>)"))
    expect(errors).toMatchInlineSnapshot(`
      [
        "ModelgateError: The baseline file baselines/test/conflict.test.ts.json has merge-conflict markers (<<<<<<< at line 4). Fix the file by hand (a merge conflict?) or delete it and run \`vitest run -u\` to write it again.",
        "ModelgateError: The baseline file baselines/test/json.test.ts.json is not valid JSON at line 22, column 12 (<V8's reason>). Fix the file by hand (a merge conflict?) or delete it and run \`vitest run -u\` to write it again.",
        "ModelgateError: The baseline file baselines/test/type.test.ts.json is invalid at $.entries["type › models/net.onnx"].metrics.params.value: must be number, got "224". Fix the value at that JSON path, or run \`vitest run -u\` to rewrite the entry.",
        "ModelgateError: The baseline file baselines/test/version.test.ts.json has format "modelgate-baseline/9" at $.schema; this modelgate reads "modelgate-baseline/1". This baseline was written by another version of modelgate: upgrade modelgate, or run \`vitest run -u\` to rewrite it.",
      ]
    `)
    for (const kind of KINDS) expect(project.read(`baselines/test/${kind}.test.ts.json`)).toBe(broken.get(kind))
  })

  test('are rewritten by an update run', async () => {
    const run = await project.vitest(['run', '-u'])
    expect(run.code, run.output).toBe(0)
    for (const kind of KINDS) {
      const file = parseBaseline(project.read(`baselines/test/${kind}.test.ts.json`), kind)
      expect(Object.values(file.entries).map((e) => e.metrics.params!.value)).toEqual([224])
    }
  })
})
