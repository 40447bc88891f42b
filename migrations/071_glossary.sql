-- A glossary per site: the terms agreed per language, which quality checks of translations
-- look for. A site's glossary starts as the product's kind glossary (twinning.KindGlossary),
-- written when it is first read (glossary_seeded), and administrators edit it.
ALTER TABLE sites ADD COLUMN glossary_seeded boolean NOT NULL DEFAULT false;

CREATE TABLE glossary (
    id       bigserial PRIMARY KEY,
    site_id  bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    position integer NOT NULL
);
CREATE INDEX glossary_site ON glossary (site_id, position);

-- The term of a glossary entry in one language.
CREATE TABLE glossary_terms (
    glossary_id bigint NOT NULL REFERENCES glossary (id) ON DELETE CASCADE,
    lang        text NOT NULL CHECK (lang ~ '^[a-z]{2,3}$'),
    term        text NOT NULL CHECK (term <> '' AND char_length(term) <= 200),
    PRIMARY KEY (glossary_id, lang)
);
