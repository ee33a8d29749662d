// The control token in the cockpit's URL fragment, the way `npm start` prints it: `#token=<hex>` (other
// fragment parameters may sit beside it, `&`-separated). The fragment never reaches a server.

/** The token in `hash` (location.hash, with or without its '#'), or null. */
export function tokenFromHash(hash: string): string | null {
  const m = /(?:^#?|&)token=([0-9A-Za-z_-]+)(?:&|$)/.exec(hash);
  return m ? m[1]! : null;
}
