with source as (
    select * from {{ source('social', 'social_communities') }}
),

renamed as (
    select
        cast(community_id as bigint) as community_id,
        name,
        kind,
        cast(topic_id as bigint) as topic_id,
        cast(owner_id as bigint) as owner_id,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
