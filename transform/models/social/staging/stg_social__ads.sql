with source as (
    select * from {{ source('social', 'social_ads') }}
),

renamed as (
    select
        cast(ad_id as bigint) as ad_id,
        cast(advertiser_id as bigint) as advertiser_id,
        name,
        cast(budget as decimal(12, 2)) as budget,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
