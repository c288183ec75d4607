/** Cache of query results, keyed by dataset data version so a data change invalidates it. */
export class QueryCache {}
