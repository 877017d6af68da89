// A typed client of the Partnerskap REST API. The types (schema.ts) are generated from the gateway's OpenAPI 3
// document by openapi-typescript (`npm run generate`); the calls are openapi-fetch's, so a path, a parameter
// or a field the API does not have is a compile error, not a 404 at run time.
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

export type { paths, components, operations } from "./schema.js";

/** Where the API is and how to sign in to it. */
export interface Options {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** A bearer token, or a function that returns a fresh one for each call. */
  token: string | (() => string | Promise<string>);
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch;
}

/** partnerskap returns a client whose every call carries the caller's bearer token. */
export function partnerskap(options: Options) {
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  client.use({
    async onRequest({ request }) {
      const token = typeof options.token === "function" ? await options.token() : options.token;
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  });
  return client;
}
