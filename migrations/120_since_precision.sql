-- A partnership can be dated only by the year it exists since ("vänort sedan 1974"): the
-- sources give no agreement for it. The year is kept in agreement_year; the precision tells
-- that it is not an agreement's year.
ALTER TABLE cities DROP CONSTRAINT cities_agreement_precision_check;
ALTER TABLE cities ADD CONSTRAINT cities_agreement_precision_check
    CHECK (agreement_precision IN ('day', 'year', 'since', 'over_years', 'unknown'));
