/**
 * The setup file the plugin registers (`test.setupFiles`): adds modelgate's matchers to `expect` in every worker.
 */
import { expect } from 'vitest'
import { ACCURACY_MATCHERS, BASELINE_MATCHERS, ESTIMATE_MATCHERS, MEASURED_MATCHERS, STATIC_MATCHERS } from '../matchers/index.js'

expect.extend({ ...STATIC_MATCHERS, ...MEASURED_MATCHERS, ...ESTIMATE_MATCHERS, ...BASELINE_MATCHERS, ...ACCURACY_MATCHERS })
