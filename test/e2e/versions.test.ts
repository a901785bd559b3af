/**
 * End to end: the fixture projects run the Node and the Vitest this pass means to test (.ci/run runs test/e2e
 * twice: Node 20 + this repository's Vitest 4.1, then Node 22 + Vitest 5 through MODELGATE_E2E_VITEST). The test
 * names carry the versions, so CI's log shows which pair passed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { VITEST_DIR, createProject } from './harness.js'

const vitestVersion = (JSON.parse(readFileSync(join(VITEST_DIR, 'package.json'), 'utf8')) as { version: string }).version
const project = createProject({})

describe('the fixture projects', () => {
  afterAll(() => project.remove())

  test(`run Node ${process.version}`, async () => {
    const node = await project.node(['-p', 'process.version'])
    expect(node.stdout.trim()).toBe(process.version)
  })

  test(`run Vitest ${vitestVersion}, the one modelgate resolves as its peer`, async () => {
    const cli = await project.vitest(['--version'])
    expect(cli.stdout).toContain(vitestVersion)
    // what `import ... from 'vitest'` inside modelgate's dist finds: the same package
    const resolved = await project.node(['--input-type=module', '-e', "import { createRequire } from 'node:module'; console.log(createRequire(import.meta.resolve('modelgate')).resolve('vitest/package.json'))"])
    expect(resolved.code, resolved.output).toBe(0)
    const pkg = JSON.parse(readFileSync(resolved.stdout.trim(), 'utf8')) as { version: string }
    expect(pkg.version).toBe(vitestVersion)
  })
})
