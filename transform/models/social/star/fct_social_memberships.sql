{# One row per membership period: a join of a community and, once the user left, its end. #}
with periods as {{ vitrina.vault_rows('link_membership', {
    'community_hk': ['hub_community', 'community_id', 'community_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'eff_sat_membership', 'link_membership_hk', ['left_at'], children=['joined_at']) }},

final as (
    select
        community_id,
        user_id,
        joined_at,
        left_at,
        left_at is null as is_current,
        cast(joined_at as date) as joined_date
    from periods
)

select * from final
