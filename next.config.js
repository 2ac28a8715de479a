// Security headers (CSP with a per-request nonce, HSTS, frame-ancestors) are set by our own server
// in lib/server/security-headers.ts, so that `npm start` and `npm run dev` apply the same policy.

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: { authInterrupts: true },
  // Native or WASM-backed server packages are loaded by Node at run time, not bundled.
  serverExternalPackages: [
    "@libsql/client",
    "libsql",
    "pg",
    "@prisma/adapter-libsql",
    "@prisma/adapter-pg",
    "@prisma/client",
    "@prisma/schema-engine-wasm",
    "@azure/msal-node",
    "imapflow",
    "nodemailer",
  ],
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
