{# One row per share (repost or quote) of a post. #}
with shares as {{ vitrina.vault_rows('link_share', {
    'post_hk': ['hub_post', 'post_id', 'post_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'sat_share', 'link_share_hk', ['kind', 'created_at'], keys=['share_id']) }},

final as (
    select
        share_id,
        post_id,
        user_id,
        kind,
        created_at,
        cast(created_at as date) as created_date
    from shares
)

select * from final
