with source as (
    select * from {{ source('clickstream', 'click_arrivals') }}
),

renamed as (
    select
        arrival_file,
        cast(arrival_line as bigint) as arrival_line,
        event_id,
        cast(product_id as bigint) as product_id,
        event_type,
        cast(ts as timestamp) as event_at
    from source
)

select * from renamed
