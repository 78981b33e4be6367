/**
 * Who a conversation or preset belongs to. With BITNET_AUTH=accounts, the id of a user (server/auth/users.ts);
 * without accounts (one person: no key, or BITNET_API_KEY) rows are written with NO_OWNER and every query
 * sees every row. Rows with NO_OWNER — everything written before accounts, or while they were off — go to the
 * first admin when accounts are used (UsersStore.giveUnownedTo).
 */
export const NO_OWNER = "";
