with source as (
    select * from {{ source('social', 'social_user_status') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        status,
        cast(changed_at as timestamp) as changed_at
    from source
)

select * from renamed
