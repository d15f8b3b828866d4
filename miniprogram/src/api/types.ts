/** Named shapes of the API's answers (components of /api/openapi.json), for pages and stores. */
import type { components } from "./schema";

export type Schemas = components["schemas"];
export type Me = Schemas["Me"];
export type Scanned = Schemas["Scanned"];
export type LetterFacts = Schemas["Scan"];
export type Card = Schemas["Card"];
export type MyHousehold = Schemas["MyHousehold"];
export type Member = Schemas["Member"];
export type MemberEntry = Schemas["MemberEntry"];
export type PrivacyNotice = Schemas["PrivacyNotice"];
export type Move = Schemas["Move"];
