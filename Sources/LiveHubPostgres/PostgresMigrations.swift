import Logging
import PostgresNIO

/// The schema, as the migrations that build it: each applied once, in order, recorded in
/// `schema_migration`. The tables are SQLite's (`LiveHubSQLite/Migrations.swift`) in their
/// current form, with PostgreSQL types: epoch seconds as DOUBLE PRECISION, JSON and bodies as
/// BYTEA (stored and returned byte for byte), flags as BOOLEAN. Then the cluster's tables.
enum PostgresMigrations {
    /// The advisory lock every node takes to migrate: nodes starting together migrate one after
    /// the other, and the later ones find nothing left to do. ("LiveHubM" in ASCII.)
    static let lockKey: Int64 = 0x4C69_7665_4875_624D

    /// Versions in order. Each is a list of statements: the extended protocol takes one at a time.
    static let all: [(version: String, statements: [String])] = [
        ("1-core", [
            """
            CREATE TABLE webhook (
                id TEXT PRIMARY KEY,                -- GHL webhookId
                type TEXT NOT NULL,
                location_id TEXT,
                received_at DOUBLE PRECISION NOT NULL,
                body BYTEA NOT NULL,                -- the exact raw body that was signed
                signature_scheme TEXT NOT NULL      -- ed25519 | rsa | dev | unsigned
            )
            """,
            "CREATE INDEX webhook_received ON webhook (received_at)",
            // The second de-duplication key; pruned with its webhook.
            "CREATE TABLE message_key (message_id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL)",
            """
            CREATE TABLE event (
                conversation_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                kind TEXT NOT NULL,
                at DOUBLE PRECISION NOT NULL,
                data BYTEA NOT NULL,                -- the event's JSON payload, sent to clients as is
                PRIMARY KEY (conversation_id, seq)
            )
            """,
            """
            CREATE TABLE conversation (
                id TEXT PRIMARY KEY,
                location_id TEXT NOT NULL,
                contact_id TEXT,
                head BIGINT NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL,
                state BYTEA NOT NULL                -- JSON ConversationState
            )
            """,
            "CREATE INDEX conversation_location ON conversation (location_id, updated_at)",
            // Not in SQLite, where these reads scan: a shared database serves several nodes.
            "CREATE INDEX conversation_updated ON conversation (updated_at)",
            "CREATE INDEX conversation_contact ON conversation (contact_id)",
            "CREATE TABLE contact (id TEXT PRIMARY KEY, location_id TEXT NOT NULL, profile BYTEA NOT NULL)",
            "CREATE TABLE location (id TEXT PRIMARY KEY, installed BOOLEAN NOT NULL, updated_at DOUBLE PRECISION NOT NULL)",
            """
            CREATE TABLE outbox (
                id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL,
                location_id TEXT NOT NULL,
                contact_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                text TEXT NOT NULL,
                origin TEXT NOT NULL,               -- agent:<userId> | auto
                suggestion_id TEXT,
                state TEXT NOT NULL,                -- queued | cancelling | sending | sent | failed | cancelled
                attempts INT NOT NULL DEFAULT 0,
                due_at DOUBLE PRECISION NOT NULL,   -- not before
                sending_since DOUBLE PRECISION,     -- set durably before each call to GHL
                ghl_message_id TEXT,
                error TEXT,
                created_at DOUBLE PRECISION NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX outbox_due ON outbox (state, due_at)",
            "CREATE INDEX outbox_ghl_message ON outbox (ghl_message_id)",
            """
            CREATE TABLE autoresponder_settings (
                location_id TEXT PRIMARY KEY,
                settings BYTEA NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE settings_change (          -- every change, kept as the audit record
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                location_id TEXT NOT NULL,
                settings BYTEA NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at DOUBLE PRECISION NOT NULL
            )
            """,
            """
            CREATE TABLE ghl_oauth (                -- one grant per location; secrets, never logged
                location_id TEXT PRIMARY KEY,
                company_id TEXT,
                access_token TEXT NOT NULL,
                refresh_token TEXT NOT NULL,
                expires_at DOUBLE PRECISION NOT NULL,
                scope TEXT,
                revoked BOOLEAN NOT NULL DEFAULT false,
                updated_at DOUBLE PRECISION NOT NULL
            )
            """,
            """
            CREATE TABLE scheduled (                -- written with the commit that schedules it
                conversation_id TEXT NOT NULL,
                kind TEXT NOT NULL,                 -- sla_check | auto_reply: one of each per conversation
                due_at DOUBLE PRECISION NOT NULL,   -- epoch seconds
                token BIGINT NOT NULL,              -- names the scheduling; a stale timer finds another
                work BYTEA NOT NULL,                -- JSON ScheduledWork
                PRIMARY KEY (conversation_id, kind)
            )
            """,
            "CREATE INDEX scheduled_due ON scheduled (due_at, conversation_id)",
        ]),
        ("2-cluster", [
            "CREATE TABLE node (id TEXT PRIMARY KEY, address TEXT NOT NULL, seen_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL)",
            """
            CREATE TABLE shard_lease (
                shard INT PRIMARY KEY,
                owner TEXT,
                epoch BIGINT NOT NULL DEFAULT 0,    -- grows by one each time the shard is taken
                expires_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
            )
            """,
            "CREATE TABLE cluster_secret (name TEXT PRIMARY KEY, value BYTEA NOT NULL)",
        ]),
        ("3-negotiation", [
            """
            CREATE TABLE negotiation (              -- one row per negotiation session; its events are in `event`
                id TEXT PRIMARY KEY,                -- the opportunity's id, else the conversation's
                location_id TEXT NOT NULL,
                status TEXT NOT NULL,               -- open | won | lost | abandoned
                head BIGINT NOT NULL,               -- last seq of stream 'negotiation:' || id
                updated_at DOUBLE PRECISION NOT NULL,
                state BYTEA NOT NULL                -- JSON NegotiationSession
            )
            """,
            "CREATE INDEX negotiation_location ON negotiation (location_id, updated_at)",
        ]),
        ("4-login-ticket", [
            "CREATE TABLE login_ticket (id TEXT PRIMARY KEY, expires_at DOUBLE PRECISION NOT NULL)  -- console login links already used",
        ]),
    ]

    /// Applies the pending migrations in one transaction under the migration lock, on a
    /// connection of its own; returns the versions applied (none when another node was first).
    @discardableResult
    static func run(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await connection.withTransaction(logger: logger) { c in
            try await c.run("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await c.run("CREATE TABLE IF NOT EXISTS schema_migration (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ)", logger: logger)
            var done: Set<String> = []
            for try await version in try await c.query("SELECT version FROM schema_migration", logger: logger).decode(String.self) { done.insert(version) }
            let unknown = done.subtracting(all.map(\.version))
            if !unknown.isEmpty {
                logger.warning("the database has migrations this version does not know; a newer LiveHub migrated it", metadata: ["versions": "\(unknown.sorted())"])
            }
            var applied: [String] = []
            for migration in all where !done.contains(migration.version) {
                // Constant SQL written above: nothing here comes from input.
                for statement in migration.statements { try await c.run(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await c.run("INSERT INTO schema_migration (version, applied_at) VALUES (\(migration.version), now())", logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
    }
}
