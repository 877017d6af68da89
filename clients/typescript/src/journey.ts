// A short journey through the API with the typed client, run by the e2e test TestTypeScriptClientJourney
// against a running suite: it must compile against the current OpenAPI document and behave as the document
// says, so a broken contract fails CI. It reads the gateway's URL and three tokens from the environment.
import { partnerskap } from "./index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`journey: ${what}`);
}

const baseUrl = env("PARTNERSKAP_URL");
const admin = partnerskap({ baseUrl, token: env("ADMIN_TOKEN") });
const member = partnerskap({ baseUrl, token: env("MEMBER_TOKEN") });
const stranger = partnerskap({ baseUrl, token: env("STRANGER_TOKEN") });
const malmo = env("MALMO_ID");

// The member's organisation and its partner, from the demo data.
const orgs = await admin.GET("/v1/organizations", { params: { query: { pageSize: 100 } } });
check(orgs.response.status === 200 && orgs.data?.organizations, `list organizations: ${orgs.response.status}`);
const lusaka = orgs.data.organizations.find((o) => o.displayName === "Lusaka City Council");
check(lusaka?.id, "Lusaka City Council is not in the demo data");

// Create: 201, with an ETag.
const created = await member.POST("/v1/partnerships", {
  body: { swedishOrganizationId: malmo, internationalOrganizationId: lusaka.id, title: "Typed journey", coreAreas: ["CORE_AREA_PARTICIPATION"] },
  headers: { "Idempotency-Key": `journey-${Date.now()}` },
});
check(created.response.status === 201 && created.data?.id, `create: ${created.response.status} ${JSON.stringify(created.error)}`);
const etag = created.response.headers.get("ETag");
check(etag, "a create answered without an ETag");
const id = created.data.id;

// Update one field (AIP-134: no mask, the field the body sets), with If-Match.
const renamed = await member.PATCH("/v1/partnerships/{id}", {
  params: { path: { id }, header: { "If-Match": etag } },
  body: { title: "Typed journey, renamed", coreAreas: ["CORE_AREA_PARTICIPATION"] },
});
check(renamed.response.status === 200 && renamed.data?.title === "Typed journey, renamed", `rename: ${JSON.stringify(renamed.error)}`);
check(renamed.data.coreAreas?.length === 1, "the update touched a field it did not name");

// A stale etag: 409 with a typed Status.
const stale = await member.PATCH("/v1/partnerships/{id}", {
  params: { path: { id }, header: { "If-Match": etag } },
  body: { title: "Lost update", coreAreas: ["CORE_AREA_PARTICIPATION"] },
});
check(stale.response.status === 409, `a stale etag answered ${stale.response.status}`);
const reason = stale.error?.details?.find((d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo");
check(reason && "reason" in reason && reason.reason === "ETAG_MISMATCH", `stale etag details: ${JSON.stringify(stale.error)}`);

// Invalid input: 400 naming the field.
const invalid = await member.POST("/v1/partnerships", {
  body: { swedishOrganizationId: malmo, internationalOrganizationId: lusaka.id, title: "", coreAreas: ["CORE_AREA_PARTICIPATION"] },
});
const bad = invalid.error?.details?.find((d) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest");
check(invalid.response.status === 400 && bad && "fieldViolations" in bad && bad.fieldViolations?.some((v) => v.field?.includes("title")),
  `an empty title: ${invalid.response.status} ${JSON.stringify(invalid.error)}`);

// Another organisation's member learns nothing: 404, as for an id that does not exist.
const hidden = await stranger.GET("/v1/partnerships/{id}", { params: { path: { id } } });
check(hidden.response.status === 404, `another organisation's member got ${hidden.response.status}`);

console.log(`journey done: partnership ${id}`);
