// Copyable examples for the API page, filled in with this installation's base URL. Each uses the
// token endpoint the way its ecosystem expects: the access token as a SASL XOAUTH2 login, with the
// server settings from the same answer. Kept as plain strings (a unit test checks their URLs).

export interface ApiExample {
  id: string;
  title: string;
  language: string;
  note: string;
  code: string;
}

export const EXAMPLE_MAILBOX = "helpdesk@contoso.com";

export function tokenUrl(baseUrl: string, protocol: string, mailbox = EXAMPLE_MAILBOX): string {
  return `${baseUrl}/api/v1/mailboxes/${mailbox}/token?protocol=${protocol}`;
}

export function apiExamples(baseUrl: string): ApiExample[] {
  return [
    {
      id: "curl",
      title: "curl",
      language: "sh",
      note: "Ask for a token; the answer has the token, the XOAUTH2 string and the server. Errors are application/problem+json with a stable code.",
      code: `export PORTAL_API_KEY='mop_…'   # Settings → API keys
curl -sS -X POST \\
  -H "Authorization: Bearer $PORTAL_API_KEY" \\
  "${tokenUrl(baseUrl, "imap")}"

# Which mailboxes this key may reach, and their state:
curl -sS -H "Authorization: Bearer $PORTAL_API_KEY" "${baseUrl}/api/v1/mailboxes?limit=50"`,
    },
    {
      id: "node-imapflow",
      title: "Node.js with imapflow",
      language: "js",
      note: "Node 18+ (global fetch). imapflow sends auth.accessToken with AUTHENTICATE XOAUTH2.",
      code: `import { ImapFlow } from "imapflow";

const BASE = "${baseUrl}";
const MAILBOX = "${EXAMPLE_MAILBOX}";

async function getToken(protocol) {
  const res = await fetch(\`\${BASE}/api/v1/mailboxes/\${encodeURIComponent(MAILBOX)}/token?protocol=\${protocol}\`, {
    method: "POST",
    headers: { authorization: \`Bearer \${process.env.PORTAL_API_KEY}\` },
  });
  const body = await res.json();
  if (!res.ok) throw new Error(\`\${body.code}: \${body.detail}\`); // e.g. needs_consent, upstream_unavailable (see Retry-After)
  return body;
}

const t = await getToken("imap");
const client = new ImapFlow({
  host: t.server.host,
  port: t.server.port,
  secure: t.server.security === "tls",
  auth: { user: t.sasl_user, accessToken: t.access_token },
  logger: false,
});
await client.connect();
const lock = await client.getMailboxLock("INBOX");
try {
  for await (const message of client.fetch("1:*", { envelope: true })) console.log(message.envelope.subject);
} finally {
  lock.release();
}
await client.logout();`,
    },
    {
      id: "python-imaplib",
      title: "Python imaplib (AUTHENTICATE XOAUTH2)",
      language: "python",
      note: "Standard library only. imaplib base64-encodes what the callback returns, so it gets the decoded xoauth2 string.",
      code: `import base64, imaplib, json, os, urllib.parse, urllib.request

BASE = "${baseUrl}"
MAILBOX = "${EXAMPLE_MAILBOX}"

request = urllib.request.Request(
    f"{BASE}/api/v1/mailboxes/{urllib.parse.quote(MAILBOX)}/token?protocol=imap",
    method="POST",
    headers={"Authorization": "Bearer " + os.environ["PORTAL_API_KEY"]},
)
with urllib.request.urlopen(request) as response:  # raises HTTPError with the problem JSON on 4xx/5xx
    t = json.load(response)

imap = imaplib.IMAP4_SSL(t["server"]["host"], t["server"]["port"])
imap.authenticate("XOAUTH2", lambda _challenge: base64.b64decode(t["xoauth2"]))
imap.select("INBOX", readonly=True)
status, data = imap.search(None, "ALL")
print(len(data[0].split()), "messages")
imap.logout()`,
    },
    {
      id: "java-mail",
      title: "Java with Jakarta Mail",
      language: "java",
      note: "Jakarta Mail 2 (Angus Mail) and Java 11+ HttpClient; any JSON parser (Jackson here). The password is the access token.",
      code: `import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.*;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

public class ReadInbox {
  static final String BASE = "${baseUrl}";
  static final String MAILBOX = "${EXAMPLE_MAILBOX}";

  public static void main(String[] args) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(BASE + "/api/v1/mailboxes/"
            + URLEncoder.encode(MAILBOX, StandardCharsets.UTF_8) + "/token?protocol=imap"))
        .header("Authorization", "Bearer " + System.getenv("PORTAL_API_KEY"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode t = new ObjectMapper().readTree(response.body());
    if (response.statusCode() != 200) throw new IllegalStateException(t.get("code").asText() + ": " + t.get("detail").asText());

    Properties props = new Properties();
    props.put("mail.imap.ssl.enable", "true");
    props.put("mail.imap.auth.mechanisms", "XOAUTH2");
    Store store = Session.getInstance(props).getStore("imap");
    store.connect(t.get("server").get("host").asText(), t.get("server").get("port").asInt(),
        t.get("sasl_user").asText(), t.get("access_token").asText());
    Folder inbox = store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    System.out.println(inbox.getMessageCount() + " messages");
    inbox.close(false);
    store.close();
  }
}`,
    },
    {
      id: "dotnet-mailkit",
      title: ".NET with MailKit (sending over SMTP)",
      language: "csharp",
      note: ".NET 6+ top-level program with the MailKit package; SaslMechanismOAuth2 is XOAUTH2.",
      code: `using System.Net.Http.Headers;
using System.Net.Http.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

const string Base = "${baseUrl}";
const string Mailbox = "${EXAMPLE_MAILBOX}";

using var http = new HttpClient();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Environment.GetEnvironmentVariable("PORTAL_API_KEY"));
var response = await http.PostAsync($"{Base}/api/v1/mailboxes/{Uri.EscapeDataString(Mailbox)}/token?protocol=smtp", null);
if (!response.IsSuccessStatusCode) throw new Exception(await response.Content.ReadAsStringAsync());
var t = (await response.Content.ReadFromJsonAsync<TokenAnswer>())!;

using var smtp = new SmtpClient();
await smtp.ConnectAsync(t.server.host, t.server.port, t.server.security == "tls" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls);
await smtp.AuthenticateAsync(new SaslMechanismOAuth2(t.sasl_user, t.access_token));
var message = new MimeMessage();
message.From.Add(MailboxAddress.Parse(t.sasl_user));
message.To.Add(MailboxAddress.Parse("someone@example.com"));
message.Subject = "Hello";
message.Body = new TextPart("plain") { Text = "Sent with a token from the Mailbox OAuth Portal." };
await smtp.SendAsync(message);
await smtp.DisconnectAsync(true);

record ServerSettings(string host, int port, string security);
record TokenAnswer(string access_token, string sasl_user, string xoauth2, DateTime expires_at, ServerSettings server);`,
    },
  ];
}
