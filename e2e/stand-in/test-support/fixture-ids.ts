// Names for fixture values the tests use, read from fixtures.json (one source of truth).
import { loadFixtures } from "../fixtures";

const f = loadFixtures();
const tenant = (key: string) => f.tenants.find((t) => t.key === key)!;
const app = (key: string) => f.apps.find((a) => a.key === key)!;

export const fixtures = f;
export const contoso = tenant("contoso");
export const fabrikam = tenant("fabrikam");
export const consumers = tenant("consumers");
export const portalApp = app("portal");
export const relayApp = app("relay");
export const daemonApp = app("daemon");
export const personalApp = app("personal");
export const user = (key: string) => f.tenants.flatMap((t) => t.users).find((u) => u.key === key)!;
export const REDIRECT_URI = "http://localhost:3000/oauth/callback";
