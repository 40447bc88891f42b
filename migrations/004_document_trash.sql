-- Deleting a document from the staff area moves it to a trash, like entries.
ALTER TABLE city_attachments ADD COLUMN deleted_at timestamptz;
