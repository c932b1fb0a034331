import { config } from 'zod'

/**
 * Zod 4 probes `new Function('')` to decide whether it may compile fast parsers; under our CSP
 * (script-src 'self', no 'unsafe-eval') the probe is blocked and Chromium logs a CSP issue, which
 * costs the Lighthouse best-practices score. `jitless` skips the probe. Import this module before
 * any schema parses: first import of main.ts and sw.ts (the shared schemas parse at import time,
 * e.g. IndicatorConfig's defaults, so it must run before their modules evaluate).
 */
config({ jitless: true })
