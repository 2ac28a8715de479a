// The connection security choices of the notification SMTP settings, for the form (a client component) and
// the schema; kept apart from smtp-settings.ts, which reaches the database and the vault.

export const smtpSecurityOptions = [
  { value: "starttls", label: "STARTTLS (port 587)" },
  { value: "tls", label: "TLS from the start (port 465)" },
  { value: "none", label: "None (only for a relay on this machine or network)" },
] as const;
