with source as (
    select * from {{ source('social', 'social_ad_impressions') }}
),

renamed as (
    select
        cast(impression_id as bigint) as impression_id,
        cast(ad_id as bigint) as ad_id,
        cast(user_id as bigint) as user_id,
        cast(ts as timestamp) as ts
    from source
)

select * from renamed
