/**
 * `npm run demo` (the README's main job) works: the gate over this repository's fixtures passes against the
 * committed baselines, and the simulated pull request fails with the regression table.
 */
import { spawn } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { REPO } from './paths.js'

function demo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo'], { cwd: REPO, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' } })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

describe('the demo', () => {
  test('gates the fixtures against the committed baselines, then shows a pull request failing', async () => {
    const { code, output } = await demo()
    expect(code, output).toBe(0)
    expect(output).toMatch(/modelgate · 12 unchanged · 7 within budget/)
    expect(output).toContain('The pull request fails (2 failed tests); what its author reads:')
    expect(output).toContain('models/classifier.onnx regressed against its baseline (baselines/test/classifier.test.ts.json')
    expect(output).toMatch(/params\s+13\.8 k params \(13,799\)\s+140\.6 k params \(140,647\)\s+\+919\.3 %\s+exact\s+REGRESSION/)
  })
})
