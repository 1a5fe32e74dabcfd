/// The searchable index behind LookupEvents. The trail files are authoritative; the index is a convenience.
public protocol AuditIndex: Sendable {
    /// Adds records (one call per committed batch, in order).
    func insert(_ records: [AuditRecord]) async throws
    /// One page, newest first. `query.nextToken` is the opaque position returned as nextToken by the previous page;
    /// an unknown token throws `AuditError(.invalidNextToken, ...)`.
    func query(_ query: AuditQuery) async throws -> (records: [AuditRecord], nextToken: String?)
    /// The ids already indexed among `ids` (for crash recovery: re-index the tail of the open segment).
    func existing(eventIDs: [String]) async throws -> Set<String>
}
