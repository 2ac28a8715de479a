import nodemailer from "nodemailer";
import { tlsOptions } from "@/lib/protocols/tls-trust";
import { describeNetworkError, delivered, failed, type AttemptResult } from "@/lib/notify/attempt-result";
import type { EmailMessage } from "@/lib/notify/email-content";
import type { SmtpSettingsWithPassword } from "@/lib/notify/smtp-settings";

// E-mail through the SMTP server in the notification settings (user name and password, not OAuth). The
// password goes to nodemailer and nowhere else: errors are reduced to the server's reply with the password
// and any base64 AUTH blob taken out.

interface SmtpError {
  code?: string;
  message?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

export async function sendEmailViaSmtp(settings: SmtpSettingsWithPassword | null, to: string[], message: EmailMessage, timeoutMs: number): Promise<AttemptResult> {
  if (!settings) return failed("no SMTP settings are saved; enter them on the Notifications page", null, false);
  const transport = nodemailer.createTransport({
    host: settings.host.replace(/^\[|\]$/g, ""),
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    tls: tlsOptions(settings.trustedCaPem ?? undefined),
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({ from: settings.fromAddress, to: to.join(", "), subject: message.subject, text: message.text });
    const code = typeof info.response === "string" ? Number(/^(\d{3})/.exec(info.response)?.[1] ?? 250) : 250;
    return delivered(code);
  } catch (error) {
    return failed(describeSmtpError(error, settings.password), (error as SmtpError | null)?.responseCode ?? null);
  } finally {
    transport.close();
  }
}

function describeSmtpError(error: unknown, password: string | null): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as SmtpError;
  let words: string;
  if (e.response) words = `${e.command === "AUTH PLAIN" || e.command === "AUTH LOGIN" || e.code === "EAUTH" ? "login refused" : "the server refused"}: ${e.response}`;
  else if (e.code === "ETLS") words = "the server did not offer STARTTLS, so nothing was sent";
  else if (e.code === "EAUTH") words = "login refused";
  // nodemailer's own connection errors (ECONNECTION, ESOCKET, EDNS…) say in their message what happened.
  else words = e.code && e.message ? `${e.message} (${e.code})` : describeNetworkError(error);
  if (password && password.length >= 4) words = words.split(password).join("[password removed]");
  // An echoed AUTH PLAIN/LOGIN argument is base64 of the user name and password.
  return words.replace(/[A-Za-z0-9+/]{16,}={0,2}/g, "[removed]");
}
