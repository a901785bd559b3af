/**
 * Writes test/conformance/data/onnx-conformance.tar.gz from the full ONNX conformance folder (69 MB, with every
 * output_N.pb and the light/ CNNs), keeping only what conformance.ts reads:
 *   summary.json, observed-shapes.json, <test>/model.onnx for every test of summary.json, and the
 *   <test>/test_data_set_0/input_N.pb files that give inference a value (inputValueOf is defined).
 *
 *   node --import tsx test/conformance/pack-data.ts --from <folder of the full conformance data>
 *
 * Then check that `node --import tsx test/conformance/run.ts` still gives the same figures, and commit the archive.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CONFORMANCE_ARCHIVE, inputValueOf } from './conformance.js'
import { readTarGz, writeTarGz } from './tar.js'

const { values } = parseArgs({ options: { from: { type: 'string' } } })
// no default: the full folder is not part of a clone (a clone only needs the archive it produces)
if (values.from === undefined) {
  process.stderr.write('pack-data: give the full conformance folder with --from <path> (see test/conformance/data/README.md)\n')
  process.exit(2)
}
const from = resolve(values.from)

// the JSON files, then every model, then every input: like next to like compresses best in gzip's 32 KB window
const files: [string, Uint8Array][] = []
const inputFiles: [string, Uint8Array][] = []
const add = (path: string): Uint8Array => {
  const bytes = readFileSync(join(from, path))
  files.push([path, bytes])
  return bytes
}
const summary = JSON.parse(new TextDecoder().decode(add('summary.json'))) as Record<string, unknown>
add('observed-shapes.json')
let inputsLeftOut = 0
for (const test of Object.keys(summary).sort()) {
  add(`${test}/model.onnx`)
  for (let i = 0; ; i++) {
    const path = `${test}/test_data_set_0/input_${i}.pb`
    let bytes: Uint8Array
    try {
      bytes = readFileSync(join(from, path))
    } catch {
      break
    }
    if (inputValueOf(bytes) === undefined) {
      inputsLeftOut++
      continue
    }
    inputFiles.push([path, bytes])
  }
}
files.push(...inputFiles)

const archive = writeTarGz(files)
// read back what was written: the same paths and the same bytes
const back = readTarGz(archive)
if (back.size !== files.length || files.some(([path, bytes]) => Buffer.compare(back.get(path) ?? Buffer.alloc(0), bytes) !== 0)) {
  throw new Error('The archive does not read back as written.')
}
writeFileSync(CONFORMANCE_ARCHIVE, archive)
const raw = files.reduce((a, [, b]) => a + b.length, 0)
console.log(
  `${CONFORMANCE_ARCHIVE}: ${files.length} files (${Object.keys(summary).length} models, ${inputFiles.length} inputs; ${inputsLeftOut} inputs too large ` +
    `or unreadable left out), ${(raw / 1e6).toFixed(2)} MB → ${(archive.length / 1e6).toFixed(3)} MB gzip`,
)
