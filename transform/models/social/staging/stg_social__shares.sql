with source as (
    select * from {{ source('social', 'social_shares') }}
),

renamed as (
    select
        cast(share_id as bigint) as share_id,
        cast(post_id as bigint) as post_id,
        cast(user_id as bigint) as user_id,
        kind,
        text,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
