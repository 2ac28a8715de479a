// Just enough SOAP 1.1 for EWS GetFolder: namespace-prefix-agnostic element lookup in the
// request, and the response/fault envelopes Exchange Online sends.
const T = "http://schemas.microsoft.com/exchange/services/2006/types";
const M = "http://schemas.microsoft.com/exchange/services/2006/messages";
const E = "http://schemas.microsoft.com/exchange/services/2006/errors";

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function xmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e]!);
}

export interface XmlElement {
  attrs: string;
  inner: string;
}

/** All elements with this local name (any prefix), outermost first. */
export function findElements(xml: string, local: string): XmlElement[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${local}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${local}\\s*>)`, "g");
  const out: XmlElement[] = [];
  for (const m of xml.matchAll(re)) out.push({ attrs: m[1] ?? "", inner: m[2] ?? "" });
  return out;
}

export function findElement(xml: string, local: string): XmlElement | undefined {
  return findElements(xml, local)[0];
}

export function textOf(xml: string, local: string): string | undefined {
  const el = findElement(xml, local);
  return el ? xmlUnescape(el.inner.trim()) : undefined;
}

export function attr(el: XmlElement, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(el.attrs);
  return m ? xmlUnescape(m[1] ?? m[2] ?? "") : undefined;
}

/** The local name of the first element inside soap:Body. */
export function operationName(xml: string): string | undefined {
  const body = findElement(xml, "Body");
  if (!body) return undefined;
  const m = /<(?:[\w.-]+:)?([\w]+)[\s/>]/.exec(body.inner);
  return m?.[1];
}

const SERVER_VERSION = `<h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="8769" MinorBuildNumber="21" Version="V2018_01_08" xmlns:h="${T}" xmlns="${T}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>`;

function envelope(body: string, header = true): string {
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${header ? `<s:Header>${SERVER_VERSION}</s:Header>` : ""}<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">${body}</s:Body></s:Envelope>`;
}

export interface FaultSpec {
  code: string;
  message: string;
  /** MessageXml values, e.g. SmtpAddress or BackOffMilliseconds. */
  values?: Record<string, string>;
}

export function soapFault(f: FaultSpec): string {
  const values = f.values
    ? `<t:MessageXml xmlns:t="${T}">${Object.entries(f.values)
        .map(([k, v]) => `<t:Value Name="${xmlEscape(k)}">${xmlEscape(v)}</t:Value>`)
        .join("")}</t:MessageXml>`
    : "";
  return envelope(
    `<s:Fault><faultcode xmlns:a="${T}">a:${f.code}</faultcode><faultstring xml:lang="en-US">${xmlEscape(f.message)}</faultstring><detail><e:ResponseCode xmlns:e="${E}">${f.code}</e:ResponseCode><e:Message xmlns:e="${E}">${xmlEscape(f.message)}</e:Message>${values}</detail></s:Fault>`,
    false,
  );
}

export type FolderResult =
  | { ok: true; id: string; changeKey: string; displayName: string; total: number; unread: number }
  | { ok: false; code: string; message: string; values?: Record<string, string> };

export function getFolderResponse(results: FolderResult[]): string {
  const messages = results
    .map((r) => {
      if (!r.ok) {
        const values = r.values ? `<m:MessageXml>${Object.entries(r.values).map(([k, v]) => `<t:Value Name="${xmlEscape(k)}">${xmlEscape(v)}</t:Value>`).join("")}</m:MessageXml>` : "";
        return `<m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>${xmlEscape(r.message)}</m:MessageText><m:ResponseCode>${r.code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${values}<m:Folders/></m:GetFolderResponseMessage>`;
      }
      return `<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder><t:FolderId Id="${xmlEscape(r.id)}" ChangeKey="${xmlEscape(r.changeKey)}"/><t:DisplayName>${xmlEscape(r.displayName)}</t:DisplayName><t:TotalCount>${r.total}</t:TotalCount><t:ChildFolderCount>0</t:ChildFolderCount><t:UnreadCount>${r.unread}</t:UnreadCount></t:Folder></m:Folders></m:GetFolderResponseMessage>`;
    })
    .join("");
  return envelope(`<m:GetFolderResponse xmlns:m="${M}" xmlns:t="${T}"><m:ResponseMessages>${messages}</m:ResponseMessages></m:GetFolderResponse>`);
}
