with source as (
    select * from {{ source('social', 'social_community_moderators') }}
),

renamed as (
    select
        cast(community_id as bigint) as community_id,
        cast(user_id as bigint) as user_id,
        cast(since as timestamp) as since
    from source
)

select * from renamed
