// The validation half of the link page, loaded in parallel with the link fetch so that zod and the
// shared schemas (~25 KB gzip) stay out of the first load.

export { LinkResolution } from '@minyi/shared/schemas'
