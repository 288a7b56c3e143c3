-- product_clicks: one row per (product, 5-minute window), final click counts from the stream job.
-- ReplacingMergeTree on (product_id, window_start): a replayed window replaces, never adds.
create table if not exists product_clicks
(
    product_id Int64,
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    clicks Int64,
    emitted_at DateTime64(3, 'UTC')
)
engine = ReplacingMergeTree(emitted_at)
order by (product_id, window_start)
