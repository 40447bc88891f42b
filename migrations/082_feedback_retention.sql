-- The public's e-mail and network addresses in accessibility feedback are kept only as long as
-- the site's administrators set (GDPR's storage limitation); a job of `serve` forgets them.
ALTER TABLE sites ADD COLUMN feedback_retention_months integer NOT NULL DEFAULT 12
    CHECK (feedback_retention_months BETWEEN 1 AND 120);
CREATE INDEX feedback_created ON feedback (created_at) WHERE email <> '' OR address <> '';
