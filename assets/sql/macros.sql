-- Session macros every SQL model may use; created on each connection before the models run.

-- Customer ids and e-mails become one opaque key. The prefix keeps the id and e-mail spaces
-- apart; e-mails are normalised so the same person hashes the same way in every export.
create or replace temp macro customer_key(customer_id, email) as
    case
        when nullif(trim(customer_id), '') is not null then sha256('customer:' || trim(customer_id))
        when nullif(trim(email), '') is not null then sha256('email:' || lower(trim(email)))
    end;

-- Codes that are not merchandise (postage, fees, manual adjustments, vouchers). Used when the
-- catalog does not say; the list is the Online Retail shop's, whose codes are otherwise
-- five digits with an optional letter suffix.
create or replace temp macro is_product_code(sku) as
    not (
        upper(trim(sku)) in ('POST', 'D', 'M', 'DOT', 'BANK CHARGES', 'AMAZONFEE', 'C2', 'CRUK', 'PADS', 'S', 'B')
        or lower(sku) like 'gift\_%' escape '\'
    );
