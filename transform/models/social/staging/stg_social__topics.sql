with source as (
    select * from {{ source('social', 'social_topics') }}
),

renamed as (
    select
        cast(topic_id as bigint) as topic_id,
        name
    from source
)

select * from renamed
