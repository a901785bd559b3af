import { fileURLToPath } from 'node:url'

/** This repository's root folder. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url))
