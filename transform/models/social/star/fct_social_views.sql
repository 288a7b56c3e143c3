{# One row per view event of a post. #}
with views as {{ vitrina.vault_rows('link_view', {
    'post_hk': ['hub_post', 'post_id', 'post_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'sat_view', 'link_view_hk', ['viewed_at'], keys=['view_id']) }},

final as (
    select
        view_id,
        post_id,
        user_id,
        viewed_at,
        cast(viewed_at as date) as viewed_date
    from views
)

select * from final
