-- Session macros every SQL model may use; created on each connection before the models run.

-- Customer ids and e-mails become one opaque key: sha256 of the installation's secret salt
-- (variable `customer_salt`, the file <data dir>/salt) and the id. Without the salt a plain
-- hash of an e-mail can be reversed by hashing guessed e-mails; with it keys are stable
-- within one installation and differ between installations. The prefix keeps the id and
-- e-mail spaces apart; e-mails are normalised so one person hashes the same way in every export.
create or replace temp macro customer_key(customer_id, email) as (
    case
        when nullif(trim(customer_id), '') is not null
            then sha256(getvariable('customer_salt') || ':customer:' || trim(customer_id))
        when nullif(trim(email), '') is not null
            then sha256(getvariable('customer_salt') || ':email:' || lower(trim(email)))
    end
);

-- Money as an exact decimal for sums: sum(money(x)) adds in integer arithmetic, so the total
-- does not depend on the order DuckDB's threads add the rows in (a sum of doubles does, in
-- its last bits) and two runs on the same exports give bit-identical marts. Ten decimals
-- keep every amount an export can hold; cast the sum back to double for the mart column.
create or replace temp macro money(amount) as (
    cast(amount as decimal(38, 10))
);

-- Codes that are not merchandise (postage, fees, manual adjustments, vouchers). Used when the
-- catalog does not say; the list is the Online Retail shop's, whose codes are otherwise
-- five digits with an optional letter suffix.
create or replace temp macro is_product_code(sku) as (
    not (
        upper(trim(sku)) in (
            'POST', 'D', 'M', 'DOT', 'BANK CHARGES', 'AMAZONFEE', 'C2', 'CRUK', 'PADS', 'S', 'B'
        )
        or lower(sku) like 'gift\_%' escape '\'
    )
);

-- Free text (review titles and comments) can hold contact details a customer typed in.
create or replace temp macro mask_contacts(text) as (
    regexp_replace(
        regexp_replace(text, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g'),
        '\+?[0-9][0-9 ().-]{7,}[0-9]', '[phone]', 'g'
    )
);

-- The calendar spine of the daily marts: every day from first_day to last_day, so days
-- without activity exist (and are zero-filled by the model). range() names its column `range`.
create or replace temp macro day_spine(first_day, last_day) as table
    select cast(range as date) as day
    from range(cast(first_day as date), cast(last_day as date) + interval 1 day, interval 1 day);

-- A web event's identity: its exported id, else its place in the export (file and line).
-- Two exports holding one event_id are one event: staging keeps the newest export's row.
create or replace temp macro event_key(event_id, file, line) as (
    coalesce(event_id, file || ':' || line)
);

-- The traffic models read only the visitors a build recomputes: every visitor here, in a
-- full build. An incremental build (assets/incremental.py) redefines the macro for its own
-- query as membership in temp table rebuilt_visitors.
create or replace temp macro is_rebuilt_visitor(visitor) as true;

-- The daily marts recompute the days from first_recomputed_day() to their last day: every
-- day in a full build. An incremental build (incremental/day_build.py) redefines the macro
-- for its own query as the first day whose inputs changed, widened by the model's window.
create or replace temp macro first_recomputed_day() as cast('-infinity' as date);

create or replace temp macro is_recomputed_day(day) as (
    cast(day as date) >= first_recomputed_day()
);
