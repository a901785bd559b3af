import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseBaseline, readBaselineFile, serializeBaseline, writeBaselineFile, type BaselineFile } from '../../src/baseline/index.js'
import { isModelgateError } from '../../src/errors.js'

const SHA = 'a'.repeat(64)

function sample(): BaselineFile {
  return {
    schema: 'modelgate-baseline/1',
    entries: {
      'net › models/net.onnx': {
        sha256: SHA,
        model: 'models/net.onnx',
        metrics: { params: { value: 224, unit: 'params', direction: 'lower', tolerance: { relative: 0 } } },
        costModelVersion: '1.0.0',
        shapes: { x: [1, 3, 8, 8] },
        dims: {},
      },
    },
  }
}

function errorOf(text: string): { code: string; message: string } {
  try {
    parseBaseline(text, 'baselines/a.json')
  } catch (error) {
    if (isModelgateError(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('parsed')
}

describe('a baseline file', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('is written with sorted keys, 2-space indent and a trailing newline', () => {
    expect(serializeBaseline(sample())).toMatchInlineSnapshot(`
      "{
        "entries": {
          "net › models/net.onnx": {
            "costModelVersion": "1.0.0",
            "dims": {},
            "metrics": {
              "params": {
                "direction": "lower",
                "tolerance": {
                  "relative": 0
                },
                "unit": "params",
                "value": 224
              }
            },
            "model": "models/net.onnx",
            "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "shapes": {
              "x": [
                1,
                3,
                8,
                8
              ]
            }
          }
        },
        "schema": "modelgate-baseline/1"
      }
      "
    `)
  })

  it('reads back what was written, atomically, leaving no temp file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'modelgate-io-'))
    const path = join(dir, 'nested', 'a.json')
    await writeBaselineFile(path, sample())
    expect(readBaselineFile(path)).toEqual(sample())
    expect(readdirSync(join(dir, 'nested'))).toEqual(['a.json'])
    expect(readFileSync(path, 'utf8')).toBe(serializeBaseline(sample()))
  })

  it('is undefined when missing', () => {
    expect(readBaselineFile(join(tmpdir(), 'modelgate-no-such-baseline.json'))).toBeUndefined()
  })

  it('that is not JSON fails with E_BASELINE_JSON at its line and column', () => {
    expect(errorOf('{\n  "schema": "modelgate-baseline/1",\n  "entries": {,}\n}\n')).toMatchInlineSnapshot(`
      {
        "code": "E_BASELINE_JSON",
        "message": "The baseline file baselines/a.json is not valid JSON at line 3, column 15 (Expected property name or '}'). Fix the file by hand (a merge conflict?) or delete it and run \`vitest run -u\` to write it again.",
      }
    `)
  })

  it('with merge-conflict markers fails with E_BASELINE_JSON naming the line', () => {
    const text = serializeBaseline(sample()).replace('      "model"', '<<<<<<< HEAD\n      "model"')
    expect(errorOf(text)).toMatchObject({ code: 'E_BASELINE_JSON', message: expect.stringContaining('has merge-conflict markers (<<<<<<< at line 16)') })
  })

  it('of another format version fails with E_BASELINE_VERSION', () => {
    expect(errorOf('{ "schema": "modelgate-baseline/2", "entries": {} }').code).toBe('E_BASELINE_VERSION')
  })

  it.each([
    ['a wrong type', (f: BaselineFile) => JSON.stringify(f).replace('"value":224', '"value":"224"'), '$.entries["net › models/net.onnx"].metrics.params.value: must be number, got "224"'],
    ['a missing property', (f: BaselineFile) => JSON.stringify(f).replace(`"sha256":"${SHA}",`, ''), '$.entries["net › models/net.onnx"]: missing the required property "sha256"'],
    ['an unknown property', (f: BaselineFile) => JSON.stringify(f).replace('"unit":"params"', '"unit":"params","when":"today"'), '$.entries["net › models/net.onnx"].metrics.params: unknown property "when"'],
    ['a bad direction', (f: BaselineFile) => JSON.stringify(f).replace('"lower"', '"down"'), '$.entries["net › models/net.onnx"].metrics.params.direction: must be one of "lower", "higher"'],
    ['an absolute model path', (f: BaselineFile) => JSON.stringify(f).replace('"models/net.onnx"', '"/home/me/net.onnx"'), '$.entries["net › models/net.onnx"].model: must match pattern'],
    ['a negative shape dim', (f: BaselineFile) => JSON.stringify(f).replace('[1,3,8,8]', '[1,-3,8,8]'), '$.entries["net › models/net.onnx"].shapes.x[1]: must be >= 0, got -3'],
  ])('with %s fails with E_BASELINE_SCHEMA at its JSON path', (_, breakIt, where) => {
    const error = errorOf(breakIt(sample()))
    expect(error.code).toBe('E_BASELINE_SCHEMA')
    expect(error.message).toContain(`The baseline file baselines/a.json is invalid at ${where}`)
  })
})
