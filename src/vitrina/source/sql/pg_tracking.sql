-- change tracking in the postgresql source: updated_at on every write, a tombstone per delete.
-- clock_timestamp(), not now(): a row's updated_at is when it was written, not when its
-- transaction began, so replication's cut-off (see vitrina.replicate) never skips a row.
create or replace function vitrina_touch() returns trigger language plpgsql as $$
begin
    new.updated_at := clock_timestamp();
    return new;
end $$;

-- the trigger's arguments name the key columns; the key is stored as a json array.
create or replace function vitrina_tombstone() returns trigger language plpgsql as $$
declare
    old_row jsonb := to_jsonb(old);
    key_values jsonb := '[]'::jsonb;
    i int;
begin
    for i in 0 .. tg_nargs - 1 loop
        key_values := key_values || jsonb_build_array(old_row -> tg_argv[i]);
    end loop;
    insert into source_deletions (table_name, key_json, deleted_at)
    values (tg_table_name, key_values::text, clock_timestamp());
    return old;
end $$;

-- a truncate removes every row at once: one tombstone with a null key.
create or replace function vitrina_truncated() returns trigger language plpgsql as $$
begin
    insert into source_deletions (table_name, key_json, deleted_at)
    values (tg_table_name, null, clock_timestamp());
    return null;
end $$;
