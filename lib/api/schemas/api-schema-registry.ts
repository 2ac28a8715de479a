import { z } from "zod";

// The schemas of the token API that the OpenAPI document names as components (#/components/schemas/<id>).
// The handlers validate with and respond through these same objects (lib/api/openapi builds from them).

export const apiSchemas = z.registry<{ id: string }>();
