with source as (
    select * from {{ source('social', 'social_reactions') }}
),

renamed as (
    select
        cast(reaction_id as bigint) as reaction_id,
        cast(post_id as bigint) as post_id,
        cast(user_id as bigint) as user_id,
        kind,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
