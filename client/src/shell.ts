/**
 * The default privacy notice that index.html paints before any script runs (put there at build time
 * from shared/src/template.ts). Read once, before Vue replaces the static shell, so the loading
 * screen can keep showing it: the resident reads the notice while the questionnaire loads, and the
 * first screen doesn't jump.
 */
export const shellNotice: string =
  typeof document === 'undefined' ? '' : (document.querySelector('#app .shell-privacy p')?.textContent?.trim() ?? '')
