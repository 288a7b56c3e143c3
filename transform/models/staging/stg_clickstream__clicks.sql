with source as (
    select * from {{ source('clickstream', 'clicks') }}
),

renamed as (
    select
        event_id,
        cast(user_id as bigint) as user_id,
        session_id,
        cast(product_id as bigint) as product_id,
        event_type,
        cast(ts as timestamp) as event_at,
        device,
        arrival_file,
        cast(arrival_line as bigint) as arrival_line
    from source
)

select * from renamed
