with source as (
    select * from {{ source('social', 'social_friendships') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        cast(friend_id as bigint) as friend_id,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
