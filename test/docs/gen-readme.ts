/** `npm run gen:readme`: rewrites the README's generated tables. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { regenerateReadme } from './readme-tables.js'

const path = join(import.meta.dirname, '../../README.md')
writeFileSync(path, regenerateReadme(readFileSync(path, 'utf8')))
