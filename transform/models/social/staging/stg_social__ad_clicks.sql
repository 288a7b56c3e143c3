with source as (
    select * from {{ source('social', 'social_ad_clicks') }}
),

renamed as (
    select
        cast(click_id as bigint) as click_id,
        cast(ad_id as bigint) as ad_id,
        cast(user_id as bigint) as user_id,
        cast(ts as timestamp) as ts
    from source
)

select * from renamed
