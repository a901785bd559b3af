/**
 * `npm run fuzz -- [cases] [seed]`: a longer fuzz run than the test's; prints the outcome as JSON and exits 1 on a defect.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fuzzModels } from './fuzz.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const models = readdirSync(FIXTURES).map((d) => join(FIXTURES, d, 'model.onnx')).filter((f) => existsSync(f))
const cases = Number(process.argv[2] ?? 50_000)
const seed = Number(process.argv[3] ?? Date.now() % 100_000)
const result = fuzzModels(models, cases, seed)
console.log(JSON.stringify({ seed, ...result }, null, 2))
process.exitCode = result.defects.length > 0 ? 1 : 0
