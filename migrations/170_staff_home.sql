-- The staff home counts the accessibility feedback each person has not seen yet: the newest
-- message of a site they saw when they last opened its feedback.
CREATE TABLE feedback_seen (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    seen_id bigint NOT NULL,
    PRIMARY KEY (user_id, site_id)
);
