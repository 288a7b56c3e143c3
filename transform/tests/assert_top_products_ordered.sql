-- ranks run 1..n without gaps and follow score desc, product_id asc
with ranked as (
    select
        rank,
        row_number() over (order by score desc, product_id asc) as expected_rank
    from {{ ref('top_products') }}
)

select * from ranked where rank <> expected_rank
