// MSAL's system.networkClient over the CA-trusting fetch: lets @azure/msal-node talk to the
// stand-in from a process that did not start with NODE_EXTRA_CA_CERTS set.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { CaFetch } from "./ca-fetch";

export function createMsalNetworkClient(fetchWithCa: CaFetch): INetworkModule {
  async function send<T>(url: string, method: "GET" | "POST", options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const res = await fetchWithCa(url, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(method === "POST" ? { body: options?.body ?? "" } : {}),
      ...(timeout ? { timeoutMs: timeout } : {}),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { headers, body: (await res.json()) as T, status: res.status };
  }
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>(url, "GET", options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, "POST", options),
  };
}
