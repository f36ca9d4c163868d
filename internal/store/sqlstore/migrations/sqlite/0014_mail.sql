-- E-mail, notifications and outside approvers.
--
-- The outbox: every message Newsdesk sends is written here in the same
-- transaction as the change that caused it, then sent by a "mail" job
-- (ref = the row's id) with retries; administrators see each one's status,
-- attempts and last error. status is queued, sent or failed (given up).
CREATE TABLE mail_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    to_addr    TEXT NOT NULL,
    to_name    TEXT NOT NULL DEFAULT '',
    subject    TEXT NOT NULL,
    text_body  TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'queued',
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at    BIGINT NOT NULL DEFAULT 0
);

-- Where and in which language a desk user gets mail.
CREATE TABLE mail_addresses (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    email   TEXT NOT NULL,
    lang    TEXT NOT NULL DEFAULT ''
);

-- A desk user's notifications. once_key, when set, makes a notification
-- happen once (a step's due time passing); read_at 0 is unread.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    article_id BIGINT NOT NULL DEFAULT 0,
    title      TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    once_key   TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE UNIQUE INDEX notifications_once ON notifications (once_key) WHERE once_key <> '';

-- A link that lets a person without a desk account (a 书记, a 院长)
-- decide on a story's step. The link carries id, nonce and expiry signed
-- with the site's secret; the row makes it single-use and revocable and
-- keeps the decision with the approver's name and address.
CREATE TABLE approver_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    step_id    BIGINT NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT NOT NULL DEFAULT 0,
    decision   TEXT NOT NULL DEFAULT '',
    comment    TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX approver_links_article ON approver_links (article_id);
