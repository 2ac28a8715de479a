import { describe, expect, it } from "vitest";
import { buildGetInboxRequest, escapeXml, parseGetFolderResponse } from "./ews";

describe("EWS GetFolder request", () => {
  it("app-only: ExchangeImpersonation with the mailbox, escaped", () => {
    const xml = buildGetInboxRequest({ impersonate: `o'hara&co<x>@contoso.com` });
    expect(xml).toContain("<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>o&apos;hara&amp;co&lt;x&gt;@contoso.com</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>");
    expect(xml).toContain('<t:DistinguishedFolderId Id="inbox"/>');
  });

  it("delegated own mailbox: no impersonation, no mailbox element", () => {
    const xml = buildGetInboxRequest({});
    expect(xml).not.toContain("ExchangeImpersonation");
    expect(xml).not.toContain("<t:Mailbox>");
  });

  it("delegated shared mailbox: the address in the folder id", () => {
    expect(buildGetInboxRequest({ mailboxInFolderId: "support@contoso.com" })).toContain('<t:DistinguishedFolderId Id="inbox"><t:Mailbox><t:EmailAddress>support@contoso.com</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>');
  });

  it("escapes all five XML specials", () => {
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  });
});

describe("EWS response parsing (any namespace prefix)", () => {
  it("reads counts from a success", () => {
    const xml = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:GetFolderResponse><m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder><t:DisplayName>Posteingang &amp; mehr</t:DisplayName><t:TotalCount>12</t:TotalCount><t:ChildFolderCount>0</t:ChildFolderCount><t:UnreadCount>4</t:UnreadCount></t:Folder></m:Folders></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>`;
    expect(parseGetFolderResponse(xml)).toEqual({ kind: "folder", displayName: "Posteingang & mehr", total: 12, unread: 4 });
  });

  it("reads ResponseClass=Error", () => {
    const xml = `<GetFolderResponseMessage ResponseClass="Error"><MessageText>Access is denied. Check credentials and try again.</MessageText><ResponseCode>ErrorAccessDenied</ResponseCode></GetFolderResponseMessage>`;
    expect(parseGetFolderResponse(xml)).toEqual({ kind: "error", responseCode: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again.", fault: false });
  });

  it("reads a SOAP fault with Exchange's attributes and the back-off value", () => {
    const xml = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode><faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The server cannot service this request right now. Try again later.</e:Message><t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">2500</t:Value></t:MessageXml></detail></s:Fault></s:Body></s:Envelope>`;
    expect(parseGetFolderResponse(xml)).toEqual({ kind: "error", responseCode: "ErrorServerBusy", message: "The server cannot service this request right now. Try again later.", fault: true, backOffMs: 2500 });
  });

  it("anything else: undefined", () => {
    expect(parseGetFolderResponse("<html>proxy error</html>")).toBeUndefined();
  });
});
