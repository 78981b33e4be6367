import "server-only";

/** The store for route handlers; the browser bundle can never import it. */
export { closeDatabase, getDatabase, getDb } from "./connection";
