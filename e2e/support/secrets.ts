// Secrets typed into the portal by the browser tests; the last spec searches the database file and
// the portal's log for each of them.
export const e2eClientSecret = "e2e8Q~Qz7wVbL1sT0pXr9mN2kJh4gF6dS3aQ-Y_Z";
export const e2eSecretId = "0c1b7f5e-31c6-4a6b-9a54-0b6b3f1f0c11";
