import "server-only";

/** The database connection for route handlers; the browser bundle can never import it. */
export { closeDatabase, getDatabase, getDb } from "./connection";
