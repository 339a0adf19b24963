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

-- The keyed staging models (order lines by order id, inventory by snapshot day) read only
-- the keys a build recomputes: every key here, in a full build. An incremental build
-- (incremental/key_build.py) redefines the macro as membership in temp table rebuilt_keys.
create or replace temp macro is_rebuilt_key(value) as true;

-- The daily marts recompute the days from first_recomputed_day() to their last day: every
-- day in a full build. An incremental build (incremental/day_build.py) redefines the macro
-- for its own query as the first day whose inputs changed, widened by the model's window.
create or replace temp macro first_recomputed_day() as cast('-infinity' as date);

-- The per-SKU daily marts (marts.sku_demand_daily, marts.sales_by_sku_daily) read only the
-- SKUs a build computes: every SKU here. A full build of many order lines
-- (incremental/sku_ranges.py) redefines the macro for each range of SKUs in turn.
create or replace temp macro is_rebuilt_sku(sku) as true;

-- The shop-wide parts of those marts, from every order line whatever SKUs a build computes:
-- each day with a placed order and the time of its last one, and the last order day.
-- `lines` is the model's CTE of all staging.stg_order_lines rows (query_table reads a CTE by
-- name). A full build in SKU ranges (incremental/sku_ranges.py) computes them once into temp
-- tables and redefines these macros to read those, so a range does not scan every line again.
create or replace temp macro shop_open_days(lines) as table
    select
        order_date as day,
        max(ordered_at) as last_order_at
    from query_table(lines)
    where order_status = 'placed'
    group by all;

create or replace temp macro shop_last_order_day(lines) as table
    select max(order_date) as day
    from query_table(lines);

create or replace temp macro is_recomputed_day(day) as (
    cast(day as date) >= first_recomputed_day()
);

-- What the sales marts (marts.orders_daily, marts.orders_by_customer_type_daily,
-- marts.sales_by_sku_daily, marts.cohort_retention) count, in one place so the marts cannot
-- disagree. classified_order_lines(lines) is the model's CTE of staging.stg_order_lines rows
-- (query_table reads a CTE by name) with three columns added:
-- the country name ('(unknown)' when missing), is_sale (a positive line of a placed order)
-- and is_reversal (a negative line, reversing an earlier sale whatever the order's status).
-- Its columns are the model's lines' plus those three, which sqlfluff cannot know (AM04).
create or replace temp macro classified_order_lines(lines) as table
    select
        *,  -- noqa: AM04
        coalesce(country, '(unknown)') as country_name,
        order_status = 'placed' and quantity > 0 as is_sale,
        quantity < 0 as is_reversal
    from query_table(lines);

-- Each customer's first sale day, from the rows of classified_order_lines: a customer is new
-- on that day and returning on later days.
create or replace temp macro first_sale_days(classified) as table
    select
        customer_key,
        min(order_date) as first_sale_date
    from query_table(classified)
    where is_sale and customer_key is not null
    group by customer_key;

-- The rows of the orders marts: every day the build recomputes from the first to the last
-- order day of classified_order_lines, and every country of those lines (a day without
-- orders from a country holds zeros).
create or replace temp macro order_days(classified) as table
    select day
    from
        day_spine(
            (select min(order_date) from query_table(classified)),
            (select max(order_date) from query_table(classified))
        )
    where is_recomputed_day(day);

create or replace temp macro order_countries(classified) as table
    select distinct country_name as country from query_table(classified);

-- The daily sums of the orders marts, aggregates over classified_order_lines rows: orders
-- (placed orders with a sale line), units and gross sales (quantity x unit price) of the sale
-- lines, their discounts, and reversed sales (negative lines, as a positive amount) of the
-- reversal lines the caller picks. Amounts add as exact decimals (money above).
create or replace temp macro sale_orders(order_id, is_sale) as (
    count(distinct order_id) filter (where is_sale)
);

create or replace temp macro sale_units(quantity, is_sale) as (
    cast(coalesce(sum(quantity) filter (where is_sale), 0) as bigint)
);

create or replace temp macro gross_sales_amount(quantity, unit_price, is_sale) as (
    cast(coalesce(sum(money(quantity * unit_price)) filter (where is_sale), 0) as double)
);

create or replace temp macro sale_discounts(discount, is_sale) as (
    cast(coalesce(sum(money(discount)) filter (where is_sale), 0) as double)
);

create or replace temp macro reversed_sales(line_amount, is_counted_reversal) as (
    cast(coalesce(-sum(money(line_amount)) filter (where is_counted_reversal), 0) as double)
);

-- Net sales as one exact sum of line amounts, for the marts that split sales by SKU or cohort
-- rather than by reversal kind: the sale lines (less their discounts, which line_amount
-- already subtracts) plus the reversal lines (negative amounts), the same total as
-- marts.orders_daily's gross sales - discounts - cancellations.
create or replace temp macro net_sales_amount(line_amount, is_sale, is_reversal) as (
    cast(coalesce(sum(money(line_amount)) filter (where is_sale or is_reversal), 0) as double)
);
