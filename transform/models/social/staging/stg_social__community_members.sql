with source as (
    select * from {{ source('social', 'social_community_members') }}
),

renamed as (
    select
        cast(community_id as bigint) as community_id,
        cast(user_id as bigint) as user_id,
        cast(joined_at as timestamp) as joined_at,
        cast(left_at as timestamp) as left_at
    from source
)

select * from renamed
