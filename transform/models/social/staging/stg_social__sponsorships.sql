with source as (
    select * from {{ source('social', 'social_sponsorships') }}
),

renamed as (
    select
        cast(sponsorship_id as bigint) as sponsorship_id,
        cast(sponsor_id as bigint) as sponsor_id,
        cast(creator_id as bigint) as creator_id,
        cast(amount as decimal(12, 2)) as amount,
        cast(start_date as timestamp) as start_date,
        cast(end_date as timestamp) as end_date
    from source
)

select * from renamed
