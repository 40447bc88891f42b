-- The licence under which a site publishes its partnerships as open data (JSON, CSV): an
-- SPDX identifier that administrators choose; twinning.Licences lists the known ones.
ALTER TABLE sites ADD COLUMN data_licence text NOT NULL DEFAULT 'CC-BY-4.0';
