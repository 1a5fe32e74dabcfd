import Foundation
import GRDB

/// The embedded SQLite database (`coffer.sqlite`): WAL mode, full fsync on commit so an
/// acknowledged write survives a crash, and named forward-only migrations.
///
/// This module holds the SQLite adapters of the domain stores; it must not import HTTP code.
public final class SQLiteDatabase: Sendable {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    public convenience init(path: String) throws {
        try self.init(path: path, migratingUpTo: nil)
    }

    /// Opens the database at `path` and applies migrations up to and including `lastMigration` (all when nil);
    /// tests use it to build a database as an older release left it.
    init(path: String, migratingUpTo lastMigration: String?) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        if let lastMigration {
            try Self.migrator.migrate(pool, upTo: lastMigration)
        } else {
            try Self.migrator.migrate(pool)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: """
                CREATE TABLE coffer_meta (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE accounts (id TEXT PRIMARY KEY NOT NULL, created_at REAL NOT NULL);
                CREATE TABLE access_keys (
                    access_key_id TEXT PRIMARY KEY NOT NULL,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    principal_arn TEXT NOT NULL,
                    sealed_secret BLOB NOT NULL,
                    status TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX access_keys_by_account ON access_keys(account_id);
                CREATE TABLE kms_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    account_id TEXT NOT NULL,
                    region TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    description TEXT NOT NULL,
                    key_usage TEXT NOT NULL,
                    key_spec TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    key_manager TEXT NOT NULL,
                    state TEXT NOT NULL,
                    current_version INTEGER NOT NULL,
                    tags TEXT NOT NULL,
                    policy TEXT,
                    revision INTEGER NOT NULL
                );
                CREATE INDEX kms_keys_by_owner ON kms_keys(account_id, region, id);
                CREATE TABLE kms_key_material (
                    key_id TEXT NOT NULL REFERENCES kms_keys(id) ON DELETE CASCADE,
                    version INTEGER NOT NULL,
                    sealed BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (key_id, version)
                );
                CREATE TABLE kms_aliases (
                    account_id TEXT NOT NULL,
                    region TEXT NOT NULL,
                    name TEXT NOT NULL,
                    target_key_id TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (account_id, region, name)
                );
                CREATE INDEX kms_aliases_by_target ON kms_aliases(target_key_id);
                """)
        }
        migrator.registerMigration("v2-key-lifecycle") { db in
            try db.execute(sql: """
                ALTER TABLE kms_keys ADD COLUMN rotation_period_days INTEGER;
                ALTER TABLE kms_keys ADD COLUMN next_rotation REAL;
                ALTER TABLE kms_keys ADD COLUMN on_demand_rotations INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE kms_keys ADD COLUMN deletion_date REAL;
                ALTER TABLE kms_keys ADD COLUMN pending_window_days INTEGER;
                ALTER TABLE kms_key_material ADD COLUMN rotation_type TEXT;
                CREATE INDEX kms_keys_by_next_rotation ON kms_keys(next_rotation) WHERE next_rotation IS NOT NULL;
                CREATE INDEX kms_keys_by_deletion_date ON kms_keys(deletion_date) WHERE deletion_date IS NOT NULL;
                """)
        }
        // Multi-Region keys have one row per region with the same id, and share their material,
        // so keys are keyed by (id, region) and material by id alone. Imported material adds its
        // expiry and identifier; AWS managed keys name their service. SQLite cannot change a primary key in place: both tables are rebuilt.
        migrator.registerMigration("v3-import-and-multi-region") { db in
            let columns = """
                id, account_id, region, created_at, description, key_usage, key_spec, origin, key_manager, state, current_version, \
                tags, policy, revision, rotation_period_days, next_rotation, on_demand_rotations, deletion_date, pending_window_days
                """
            try db.execute(sql: """
                CREATE TABLE kms_keys_v3 (
                    id TEXT NOT NULL,
                    account_id TEXT NOT NULL,
                    region TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    description TEXT NOT NULL,
                    key_usage TEXT NOT NULL,
                    key_spec TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    key_manager TEXT NOT NULL,
                    state TEXT NOT NULL,
                    current_version INTEGER NOT NULL,
                    tags TEXT NOT NULL,
                    policy TEXT,
                    revision INTEGER NOT NULL,
                    rotation_period_days INTEGER,
                    next_rotation REAL,
                    on_demand_rotations INTEGER NOT NULL DEFAULT 0,
                    deletion_date REAL,
                    pending_window_days INTEGER,
                    multi_region INTEGER NOT NULL DEFAULT 0,
                    primary_region TEXT,
                    expiration_model TEXT,
                    material_valid_to REAL,
                    imported_material_id TEXT,
                    aws_service TEXT,
                    PRIMARY KEY (id, region)
                );
                INSERT INTO kms_keys_v3 (\(columns)) SELECT \(columns) FROM kms_keys;
                CREATE TABLE kms_key_material_v3 (
                    key_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    sealed BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    rotation_type TEXT,
                    PRIMARY KEY (key_id, version)
                );
                INSERT INTO kms_key_material_v3 SELECT key_id, version, sealed, created_at, rotation_type FROM kms_key_material;
                DROP TABLE kms_key_material;
                DROP TABLE kms_keys;
                ALTER TABLE kms_keys_v3 RENAME TO kms_keys;
                ALTER TABLE kms_key_material_v3 RENAME TO kms_key_material;
                CREATE INDEX kms_keys_by_owner ON kms_keys(account_id, region, id);
                CREATE INDEX kms_keys_by_next_rotation ON kms_keys(next_rotation) WHERE next_rotation IS NOT NULL;
                CREATE INDEX kms_keys_by_deletion_date ON kms_keys(deletion_date) WHERE deletion_date IS NOT NULL;
                CREATE INDEX kms_keys_by_material_expiry ON kms_keys(material_valid_to) WHERE material_valid_to IS NOT NULL;
                CREATE TABLE kms_key_usage (
                    key_id TEXT NOT NULL,
                    region TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    used_at REAL NOT NULL,
                    request_id TEXT NOT NULL,
                    PRIMARY KEY (key_id, region)
                );
                """)
            try db.execute(
                sql: "INSERT INTO coffer_meta(name, value) VALUES ('kms_usage_tracking_start', ?)",
                arguments: [String(Date().timeIntervalSince1970)]
            )
        }
        // IAM users and roles with their inline policies; access keys may belong to a user.
        // Names are unique per account regardless of case, so rows are keyed by the lowercased name.
        migrator.registerMigration("v4-iam") { db in
            try db.execute(sql: """
                ALTER TABLE access_keys ADD COLUMN user_name TEXT;
                CREATE TABLE iam_users (
                    account_id TEXT NOT NULL,
                    name_key TEXT NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    user_id TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL,
                    tags TEXT NOT NULL,
                    PRIMARY KEY (account_id, name_key)
                );
                CREATE TABLE iam_roles (
                    account_id TEXT NOT NULL,
                    name_key TEXT NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    role_id TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL,
                    trust_policy TEXT NOT NULL,
                    description TEXT,
                    max_session_duration INTEGER NOT NULL,
                    tags TEXT NOT NULL,
                    PRIMARY KEY (account_id, name_key)
                );
                CREATE TABLE iam_inline_policies (
                    account_id TEXT NOT NULL,
                    owner_kind TEXT NOT NULL,
                    owner_key TEXT NOT NULL,
                    policy_name TEXT NOT NULL,
                    document TEXT NOT NULL,
                    PRIMARY KEY (account_id, owner_kind, owner_key, policy_name)
                );
                """)
        }
        // KMS grants, per key copy; constraints and operations as JSON.
        migrator.registerMigration("v5-kms-grants") { db in
            try db.execute(sql: """
                CREATE TABLE kms_grants (
                    grant_id TEXT PRIMARY KEY NOT NULL,
                    key_id TEXT NOT NULL,
                    region TEXT NOT NULL,
                    key_account TEXT NOT NULL,
                    name TEXT,
                    grantee_principal TEXT NOT NULL,
                    retiring_principal TEXT,
                    issuing_account TEXT NOT NULL,
                    operations TEXT NOT NULL,
                    constraint_equals TEXT,
                    constraint_subset TEXT,
                    created_at REAL NOT NULL,
                    token TEXT NOT NULL UNIQUE
                );
                CREATE INDEX kms_grants_by_key ON kms_grants(key_id, region, created_at);
                CREATE INDEX kms_grants_by_retiring ON kms_grants(retiring_principal) WHERE retiring_principal IS NOT NULL;
                """)
        }
        // The audit trail's former lookup index; v7 drops it (lookups read the trail's segments).
        migrator.registerMigration("v6-audit-index") { db in
            try db.execute(sql: """
                CREATE TABLE audit_events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    recipient_account TEXT NOT NULL,
                    event_time REAL NOT NULL,
                    event_source TEXT NOT NULL,
                    event_name TEXT NOT NULL,
                    region TEXT NOT NULL,
                    username TEXT,
                    access_key_id TEXT,
                    read_only INTEGER NOT NULL,
                    resources TEXT NOT NULL,
                    record BLOB NOT NULL
                );
                CREATE INDEX audit_events_by_time ON audit_events(recipient_account, event_time, seq);
                CREATE TABLE audit_event_resources (
                    seq INTEGER NOT NULL REFERENCES audit_events(seq) ON DELETE CASCADE,
                    resource_type TEXT NOT NULL,
                    resource_name TEXT NOT NULL
                );
                CREATE INDEX audit_event_resources_by_name ON audit_event_resources(resource_name, seq);
                CREATE INDEX audit_event_resources_by_type ON audit_event_resources(resource_type, seq);
                """)
        }
        migrator.registerMigration("v7-drop-audit-index") { db in
            try db.execute(sql: "DROP TABLE audit_event_resources; DROP TABLE audit_events;")
        }
        // S3: buckets (names are global) and the current record of each object. Keys are BLOBs of UTF-8 so that
        // ORDER BY gives S3's byte order.
        migrator.registerMigration("v8-s3-catalog") { db in
            try db.execute(sql: """
                CREATE TABLE s3_buckets (
                    name TEXT PRIMARY KEY,
                    account TEXT NOT NULL,
                    region TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX s3_buckets_by_account ON s3_buckets(account);
                CREATE TABLE s3_objects (
                    bucket TEXT NOT NULL REFERENCES s3_buckets(name),
                    key BLOB NOT NULL,
                    blob TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    etag TEXT NOT NULL,
                    last_modified REAL NOT NULL,
                    content_type TEXT,
                    metadata TEXT NOT NULL,
                    sse TEXT NOT NULL,
                    kms_key_arn TEXT,
                    data_key BLOB,
                    context TEXT,
                    bucket_key INTEGER NOT NULL DEFAULT 0,
                    ssec_mac BLOB,
                    ssec_salt BLOB,
                    PRIMARY KEY (bucket, key)
                ) WITHOUT ROWID;
                """)
        }
        // S3 multipart uploads and what came with them: per-object representation headers, checksum, tags and
        // parts (a multipart object's parts stay separate sealed streams, listed in s3_object_parts); uploads in
        // progress with their parts; opaque per-bucket settings. Part rows are removed explicitly with their owner.
        migrator.registerMigration("v9-s3-multipart") { db in
            try db.execute(sql: """
                ALTER TABLE s3_objects ADD COLUMN content_encoding TEXT;
                ALTER TABLE s3_objects ADD COLUMN content_disposition TEXT;
                ALTER TABLE s3_objects ADD COLUMN content_language TEXT;
                ALTER TABLE s3_objects ADD COLUMN cache_control TEXT;
                ALTER TABLE s3_objects ADD COLUMN expires TEXT;
                ALTER TABLE s3_objects ADD COLUMN storage_class TEXT;
                ALTER TABLE s3_objects ADD COLUMN checksum_algorithm TEXT;
                ALTER TABLE s3_objects ADD COLUMN checksum_value TEXT;
                ALTER TABLE s3_objects ADD COLUMN checksum_type TEXT;
                ALTER TABLE s3_objects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
                ALTER TABLE s3_objects ADD COLUMN parts_count INTEGER;
                CREATE TABLE s3_object_parts (
                    bucket TEXT NOT NULL,
                    key BLOB NOT NULL,
                    number INTEGER NOT NULL,
                    upload_id TEXT NOT NULL,
                    blob TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    etag TEXT NOT NULL,
                    checksum TEXT,
                    PRIMARY KEY (bucket, key, number)
                ) WITHOUT ROWID;
                CREATE TABLE s3_uploads (
                    upload_id TEXT PRIMARY KEY NOT NULL,
                    bucket TEXT NOT NULL REFERENCES s3_buckets(name),
                    key BLOB NOT NULL,
                    initiated REAL NOT NULL,
                    content_type TEXT,
                    metadata TEXT NOT NULL,
                    sse TEXT NOT NULL,
                    kms_key_arn TEXT,
                    data_key BLOB,
                    context TEXT,
                    bucket_key INTEGER NOT NULL DEFAULT 0,
                    ssec_mac BLOB,
                    ssec_salt BLOB,
                    content_encoding TEXT,
                    content_disposition TEXT,
                    content_language TEXT,
                    cache_control TEXT,
                    expires TEXT,
                    storage_class TEXT,
                    tags TEXT NOT NULL,
                    checksum_algorithm TEXT,
                    checksum_type TEXT
                );
                CREATE INDEX s3_uploads_by_key ON s3_uploads(bucket, key, initiated, upload_id);
                CREATE TABLE s3_upload_parts (
                    upload_id TEXT NOT NULL REFERENCES s3_uploads(upload_id),
                    number INTEGER NOT NULL,
                    blob TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    etag TEXT NOT NULL,
                    last_modified REAL NOT NULL,
                    checksum TEXT,
                    PRIMARY KEY (upload_id, number)
                ) WITHOUT ROWID;
                CREATE TABLE s3_bucket_settings (
                    bucket TEXT NOT NULL REFERENCES s3_buckets(name),
                    name TEXT NOT NULL,
                    value BLOB NOT NULL,
                    PRIMARY KEY (bucket, name)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// A value from the metadata table.
    public func meta(_ name: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM coffer_meta WHERE name = ?", arguments: [name]) }
    }

    /// Sets a value in the metadata table.
    public func setMeta(_ name: String, _ value: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO coffer_meta(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value", arguments: [name, value])
        }
    }
}
