// What a server said, made safe to store and show: the check's own secrets (the access token and
// the XOAUTH2 blob built from it) and anything shaped like a token or a long base64 value are
// removed before a server response leaves lib/protocols.

const MAX_LENGTH = 1000;

const patterns: Array<[RegExp, string]> = [
  // JWTs (access tokens are JWTs; the header always starts with eyJ = '{"').
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[token removed]"],
  [/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1[token removed]"],
  [/(auth=Bearer\s*)[^\x01\s]+/gi, "$1[token removed]"],
];

// Long base64 / base64url runs: XOAUTH2 blobs, opaque tokens, error challenges. A run of letters
// only is a word (ErrorInvalidExchangeImpersonationHeaderData), not an encoding: encoded data of
// this length all but always mixes in digits or + / _ -.
const LONG_RUN = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
function looksEncoded(run: string): boolean {
  return /[0-9+/_=-]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run);
}

export function redactServerResponse(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short strings are no secrets worth hunting and would mangle ordinary text.
    if (secret.length >= 8) out = out.split(secret).join("[token removed]");
  }
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  out = out.replace(LONG_RUN, (run) => (looksEncoded(run) ? "[base64 removed]" : run));
  // Control characters (SASL separators, NULs) have no business in a message shown to people.
  out = out.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, " ").trim();
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH)}…` : out;
}
