// Starts fetching the QR link's questionnaire while the app's module scripts are still downloading:
// saves one round trip before the first screen on a slow phone network. A classic script from our
// own origin, so the CSP (script-src 'self') allows it. src/api/link.ts picks the response up once.
;(() => {
  const m = /^\/s\/([^/?#]+)/.exec(location.pathname)
  if (!m || typeof fetch !== 'function') return
  const url = `/api/v1/links/${m[1]}`
  window.__minyiPrefetch = { url: url, response: fetch(url, { headers: { accept: 'application/json' } }) }
})()
