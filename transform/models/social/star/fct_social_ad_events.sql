{# One row per ad event: an impression or a click (event_id is the impression's or click's id). #}
with impressions as {{ vitrina.vault_rows('link_ad_impression', {
    'ad_hk': ['hub_ad', 'ad_id', 'ad_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'sat_ad_impression', 'link_ad_impression_hk', ['ts'], keys=['impression_id']) }},

clicks as {{ vitrina.vault_rows('link_ad_click', {
    'ad_hk': ['hub_ad', 'ad_id', 'ad_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'sat_ad_click', 'link_ad_click_hk', ['ts'], keys=['click_id']) }},

events as (
    select cast('impression' as varchar) as event_kind, impression_id as event_id, ad_id, user_id, ts
    from impressions
    union all
    select cast('click' as varchar) as event_kind, click_id as event_id, ad_id, user_id, ts
    from clicks
),

final as (
    select event_kind, event_id, ad_id, user_id, ts as event_at, cast(ts as date) as event_date
    from events
)

select * from final
