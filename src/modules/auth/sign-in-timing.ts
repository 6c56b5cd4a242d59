// How long a sign-in takes must not tell how many accounts its email has. Users are per org, so
// one email may have accounts in several orgs, and sign-in checks the password against each (a
// slow scrypt of 128 MiB each): an answer after two checks took twice as long as one after one.
// Any tenant can add an address to its own org and sign in with it, so without this the time
// told it whether the same address had an account in another org (someone else's customer or
// employee). Each answer is held until it has taken as long as PADDED_CHECKS checks would have,
// judged by how long this request's own checks took: the machine's speed and load at that
// moment, both of which a fixed delay would get wrong. Waiting costs no CPU.
//
// Up to PADDED_CHECKS accounts look the same (the common case: an account or two elsewhere);
// an email with more takes longer. Padding to MAX_ACCOUNTS_PER_EMAIL (10) would hide all, at
// ten checks' time per sign-in.
export const PADDED_CHECKS = 3;

/** How long to wait after `checks` password checks that took `elapsedMs` together. */
export function signInPaddingMs(elapsedMs: number, checks: number): number {
  if (checks >= PADDED_CHECKS || checks < 1 || !(elapsedMs > 0)) return 0;
  return (elapsedMs / checks) * (PADDED_CHECKS - checks);
}
