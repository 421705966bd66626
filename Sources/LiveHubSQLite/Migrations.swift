import GRDB

/// The schema, as the migrations that build it; each runs once, in order, at start-up.
extension SQLiteDatabase {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE webhook (
                    id TEXT PRIMARY KEY,            -- GHL webhookId
                    type TEXT NOT NULL,
                    location_id TEXT,
                    received_at REAL NOT NULL,
                    body BLOB NOT NULL,             -- the exact raw body that was signed
                    signature_scheme TEXT NOT NULL  -- ed25519 | rsa | dev | unsigned
                );
                CREATE INDEX webhook_received ON webhook(received_at);
                CREATE TABLE message_key (
                    message_id TEXT PRIMARY KEY,    -- GHL messageId, the second de-duplication key
                    webhook_id TEXT NOT NULL
                );
                CREATE TABLE event (
                    conversation_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    at REAL NOT NULL,
                    data BLOB NOT NULL,             -- the event's JSON payload, sent to clients as is
                    PRIMARY KEY (conversation_id, seq)
                ) WITHOUT ROWID;
                CREATE TABLE conversation (
                    id TEXT PRIMARY KEY,
                    location_id TEXT NOT NULL,
                    contact_id TEXT,
                    head INTEGER NOT NULL,
                    updated_at REAL NOT NULL,
                    summary BLOB NOT NULL           -- JSON ConversationSummary
                );
                CREATE INDEX conversation_location ON conversation(location_id, updated_at);
                CREATE TABLE contact (
                    id TEXT PRIMARY KEY,
                    location_id TEXT NOT NULL,
                    profile BLOB NOT NULL           -- JSON ContactProfile
                );
                CREATE TABLE location (
                    id TEXT PRIMARY KEY,
                    installed INTEGER NOT NULL,
                    updated_at REAL NOT NULL
                );
                """)
        }
        m.registerMigration("v2-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id TEXT PRIMARY KEY,
                    conversation_id TEXT NOT NULL,
                    location_id TEXT NOT NULL,
                    contact_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    text TEXT NOT NULL,
                    origin TEXT NOT NULL,              -- agent:<userId> | auto
                    suggestion_id TEXT,
                    state TEXT NOT NULL,               -- queued | cancelling | sending | sent | failed | cancelled
                    attempts INTEGER NOT NULL DEFAULT 0,
                    due_at REAL NOT NULL,              -- not before
                    sending_since REAL,                -- set durably before each call to GHL
                    ghl_message_id TEXT,
                    error TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX outbox_due ON outbox(state, due_at);
                CREATE INDEX outbox_ghl_message ON outbox(ghl_message_id);
                """)
        }
        m.registerMigration("v3-autoresponder") { db in
            try db.execute(sql: """
                CREATE TABLE autoresponder_settings (
                    location_id TEXT PRIMARY KEY,
                    settings BLOB NOT NULL,
                    updated_at REAL NOT NULL,
                    updated_by TEXT NOT NULL
                );
                CREATE TABLE settings_change (        -- every change, kept as the audit record
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    location_id TEXT NOT NULL,
                    settings BLOB NOT NULL,
                    changed_by TEXT NOT NULL,
                    changed_at REAL NOT NULL
                );
                """)
        }
        m.registerMigration("v4-oauth") { db in
            try db.execute(sql: """
                CREATE TABLE ghl_oauth (               -- one grant per location; secrets, never logged
                    location_id TEXT PRIMARY KEY,
                    company_id TEXT,
                    access_token TEXT NOT NULL,
                    refresh_token TEXT NOT NULL,
                    expires_at REAL NOT NULL,
                    scope TEXT,
                    revoked INTEGER NOT NULL DEFAULT 0,
                    updated_at REAL NOT NULL
                );
                """)
        }
        m.registerMigration("v5-scheduled-work") { db in
            try db.execute(sql: """
                ALTER TABLE conversation RENAME COLUMN summary TO state;  -- JSON ConversationState
                CREATE TABLE scheduled (              -- work a conversation has scheduled; written with the commit that schedules it
                    conversation_id TEXT NOT NULL,
                    kind TEXT NOT NULL,               -- sla_check | auto_reply: one of each per conversation
                    due_at REAL NOT NULL,             -- epoch seconds
                    token INTEGER NOT NULL,           -- names the scheduling; a stale timer finds another
                    work BLOB NOT NULL,               -- JSON ScheduledWork
                    PRIMARY KEY (conversation_id, kind)
                ) WITHOUT ROWID;
                CREATE INDEX scheduled_due ON scheduled(due_at, conversation_id);
                -- Leads still waiting when this version is installed, since at most a day, get their
                -- SLA check, due at the default 120 s target (the state did not record the target in
                -- force). Older waits get none: an alert days late is noise, and the check must not
                -- wake thousands of stale conversations at once. The state is JSON text stored as a
                -- BLOB: CAST, since newer SQLite reads a BLOB as JSONB.
                INSERT INTO scheduled (conversation_id, kind, due_at, token, work)
                SELECT id, 'sla_check', json_extract(CAST(state AS TEXT), '$.waitingSince') + 120, 0,
                       json_object('slaCheck', json_object('waitingSince', json_extract(CAST(state AS TEXT), '$.waitingSince')))
                FROM conversation
                WHERE json_extract(CAST(state AS TEXT), '$.waitingSince') > CAST(strftime('%s', 'now') AS REAL) - 86400
                  AND json_extract(CAST(state AS TEXT), '$.waitingSince') IS NOT json_extract(CAST(state AS TEXT), '$.slaAlertedFor');
                """)
        }
        m.registerMigration("v6-negotiation") { db in
            try db.execute(sql: """
                CREATE TABLE negotiation (            -- one row per negotiation session; its events are in `event`
                    id TEXT PRIMARY KEY,              -- the opportunity's id, else the conversation's
                    location_id TEXT NOT NULL,
                    status TEXT NOT NULL,             -- open | won | lost | abandoned
                    head INTEGER NOT NULL,            -- last seq of stream 'negotiation:' || id
                    updated_at REAL NOT NULL,
                    state BLOB NOT NULL               -- JSON NegotiationSession
                );
                CREATE INDEX negotiation_location ON negotiation(location_id, updated_at);
                """)
        }
        m.registerMigration("v7-login-ticket") { db in
            try db.execute(sql: "CREATE TABLE login_ticket (id TEXT PRIMARY KEY, expires_at REAL NOT NULL)  -- console login links already used")
        }
        return m
    }
}
