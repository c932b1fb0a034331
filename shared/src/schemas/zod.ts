import { config, z } from 'zod'

/**
 * The `z` every shared schema is built with. Importing it from here, not from 'zod', guarantees that
 * zod is configured before any schema exists, whatever order a bundler puts modules and chunks in.
 *
 * In a browser (page or service worker) zod runs `jitless`: otherwise it probes `Function('')` when
 * it builds an object schema, which our CSP (script-src 'self', no 'unsafe-eval') blocks and Chromium
 * reports as a CSP issue (it cost the Lighthouse best-practices score). On Node, where the server
 * parses every ingested item, zod keeps its compiled fast path.
 */
const inBrowser =
  typeof (globalThis as { document?: unknown }).document !== 'undefined' ||
  typeof (globalThis as { importScripts?: unknown }).importScripts === 'function'
if (inBrowser) config({ jitless: true })

export { z }
