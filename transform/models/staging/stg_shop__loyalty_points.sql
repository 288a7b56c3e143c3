with source as (
    select * from {{ source('shop', 'loyalty_points') }}
),

renamed as (
    select
        cast(loyalty_id as bigint) as loyalty_entry_id,
        cast(user_id as bigint) as user_id,
        cast(points as bigint) as points,
        reason,
        cast(created_at as timestamp) as credited_at
    from source
)

select * from renamed
