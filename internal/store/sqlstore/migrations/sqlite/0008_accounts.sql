-- Failed sign-ins, counted per account, per address and per both, so that
-- guesses slow down the guesser rather than lock the account for everyone.
-- Rows older than the counting window are deleted as new ones come.
CREATE TABLE sign_in_failures (
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_user ON sign_in_failures (username, ip, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
