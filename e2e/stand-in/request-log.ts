// Every request the stand-in answers, so tests can assert counts ("exactly one refresh").
export type ServiceName = "identity" | "graph" | "ews" | "control";

export interface RequestRecord {
  seq: number;
  at: string;
  service: ServiceName;
  method: string;
  path: string;
  /** authorize, token, discovery, jwks, login, consent, adminconsent, logout, graph, ews, ... */
  endpoint?: string;
  grantType?: string;
  clientId?: string;
  tenant?: string;
  user?: string;
  /** HTTP status; undefined while unanswered (e.g. a hang). */
  status?: number;
  /** AADSTS code or Graph/EWS error code of an error response. */
  errorCode?: string;
  /** Set when an armed fault answered this request. */
  faultId?: string;
}

export interface RequestFilter {
  service?: ServiceName;
  endpoint?: string;
  grantType?: string;
  clientId?: string;
  tenant?: string;
  user?: string;
}

export class RequestLog {
  private records: RequestRecord[] = [];
  private seq = 0;

  start(service: ServiceName, method: string, path: string): RequestRecord {
    const record: RequestRecord = { seq: ++this.seq, at: new Date().toISOString(), service, method, path };
    if (service !== "control") this.records.push(record);
    return record;
  }

  finish(record: RequestRecord, status: number): void {
    record.status = status;
  }

  list(filter: RequestFilter = {}): RequestRecord[] {
    return this.records.filter(
      (r) =>
        r.service !== "control" &&
        (!filter.service || r.service === filter.service) &&
        (!filter.endpoint || r.endpoint === filter.endpoint) &&
        (!filter.grantType || r.grantType === filter.grantType) &&
        (!filter.clientId || r.clientId === filter.clientId) &&
        (!filter.tenant || r.tenant === filter.tenant) &&
        (!filter.user || r.user?.toLowerCase() === filter.user.toLowerCase()),
    );
  }

  clear(): void {
    this.records = [];
  }
}
