/** Runs `fn` while holding a named lock, so two tabs or triggers never send the same outbox twice. */
export type Lock = <T>(fn: () => Promise<T>) => Promise<T>

/**
 * Web Locks (https://developer.mozilla.org/docs/Web/API/Web_Locks_API) span tabs and the service
 * worker; released automatically when a tab dies, so a closed tab never wedges the outbox.
 */
export function webLock(name: string, locks: LockManager): Lock {
  return (fn) => locks.request(name, { mode: 'exclusive' }, fn) as Promise<Awaited<ReturnType<typeof fn>>>
}

/** Fallback where Web Locks are missing (older WebViews): one flush at a time within this page. */
export function pageLock(): Lock {
  let tail: Promise<unknown> = Promise.resolve()
  return (fn) => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => undefined)
    return run
  }
}

export function defaultLock(name: string): Lock {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  return locks ? webLock(name, locks) : pageLock()
}
